"""The demo reads each SESNSP file's publication cut from its SOURCE.md, or a documented
default, so nobody has to guess ``--cut``."""

from civica.demo.statistics import SESNSP_FILES, cut_from_source


def test_each_shared_file_gets_the_cut_its_source_states(shared_data):
    cuts = {
        item.relative_path: cut_from_source(
            (shared_data / item.relative_path).parent / "SOURCE.md",
            (shared_data / item.relative_path).name,
        )
        for item in SESNSP_FILES
    }
    assert cuts == {
        "sesnsp_estatal/IDEFC_NM_estatal_2015-2024.csv.gz": "2024-11",
        # "year 2026 only, January–March filled"
        "sesnsp_estatal/RNID_estatal_2026.csv.gz": "2026-03",
        "sesnsp_victimas_estatal/IDVFC_NM_ene25.csv.gz": "2025-01",
        "sesnsp_municipal/guanajuato_homicidios_2020-2025_formato_IDM.csv": "2025-11",
    }
    # The documented defaults agree with what the shared data say today.
    assert {item.relative_path: item.default_cut for item in SESNSP_FILES} == cuts


def test_a_file_has_the_cut_of_its_own_section(tmp_path):
    source = tmp_path / "SOURCE.md"
    source.write_text(
        "# Two files\n\n## a.csv\n- cut of March 2023\n\n## b.csv\n- (cut: *July 2021*)\n",
        encoding="utf-8",
    )
    assert cut_from_source(source, "a.csv") == "2023-03"
    assert cut_from_source(source, "b.csv") == "2021-07"


def test_a_source_that_says_nothing_gives_no_cut(tmp_path):
    source = tmp_path / "SOURCE.md"
    source.write_text("# A file\nNo date here.\n", encoding="utf-8")
    assert cut_from_source(source, "a.csv") is None
    assert cut_from_source(tmp_path / "missing.md", "a.csv") is None
