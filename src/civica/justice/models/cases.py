"""Juzgados, the persons presented to them, and their cases stage by stage.

A :class:`Case` carries the one-per-case stages as fields, in the order they happen (police
report → presentation → medical certificate → tamizaje → hearing → resolution → closure);
mediations and follow-up entries, which may be several, are rows of their own. The legal
guards live in ``civica.justice.rules`` and run from ``Case.clean`` and the services.

Persons are held as participants are (``participants.identity``): encrypted personal fields,
keyed blind indexes to find the same person again (CURP, or name and birth date), a random
pseudonymous id on every page, and every read of a personal field audited by the selectors.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civica.core.crypto import EncryptedTextField
from civica.justice.choices import (
    Closure,
    Commutation,
    Detection,
    FollowUpKind,
    Intoxication,
    Occupation,
    RiskLevel,
    Sanction,
)
from civica.justice.models.catalogue import MAX_ARREST_HOURS, FineUnit, Offence
from civica.participants import identity
from civica.participants.models.people import Sex, VersionedModel

PERSONAL_FIELDS = ("given_names", "family_names", "birth_date", "curp", "address", "phone")
#: Encrypted fields of a case (read only through the audited selectors).
CASE_PERSONAL_FIELDS = (
    "narrative",
    "injuries",
    "guardian_name",
    "defender_name",
    "place_description",
)


def _user(verbose_name, **options) -> models.ForeignKey:
    """Who recorded something: a user, kept as empty when the account is deleted. One
    definition for the physician, screener, judge, mediator, supervisor and creator."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


def _moment(verbose_name) -> models.DateTimeField:
    """When a step of a case happened; empty until it does (the stages' times)."""
    return models.DateTimeField(verbose_name, null=True, blank=True)


class Juzgado(models.Model):
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="juzgados",
        verbose_name=_("staff"),
        help_text=_(
            "Users assigned to this juzgado. A user assigned to any juzgado sees only the cases "
            "of those juzgados; otherwise every juzgado of the user's municipalities."
        ),
    )
    #: The versioned screening instrument (participants') the juzgado's tamizaje applies:
    #: the form then asks its items and the risk level follows from its scoring.
    instrument = models.ForeignKey(
        "participants.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening instrument"),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("juzgado cívico")
        verbose_name_plural = _("juzgados cívicos")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="justice_juzgado_name")
        ]

    def __str__(self) -> str:
        return self.name


class PresentedPerson(models.Model):
    """A person presented to a juzgado; found again by ``link_index`` on a new presentation."""

    pid = models.CharField(_("pseudonymous id"), max_length=8, unique=True, editable=False)
    given_names = EncryptedTextField(_("given names"))
    family_names = EncryptedTextField(_("family names"))
    birth_date = EncryptedTextField(_("birth date"), blank=True)
    curp = EncryptedTextField(_("CURP"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNRECORDED)
    birth_month_index = models.IntegerField(null=True, blank=True, editable=False)
    curp_index = models.CharField(max_length=64, blank=True, editable=False)
    #: Blind index of CURP, or else of normalised name + birth date: the key that links a
    #: person's presentations (reincidence) without reading the personal fields.
    link_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("municipality of residence"),
    )
    participant = models.ForeignKey(
        "participants.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("program participant"),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["pid"]
        verbose_name = _("presented person")
        verbose_name_plural = _("presented persons")
        indexes = [models.Index(fields=["curp_index"], name="justice_person_curp")]

    def __str__(self) -> str:
        return self.pid

    @property
    def audit_label(self) -> str:
        return self.pid

    @property
    def birth(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.birth_date) if self.birth_date else None
        except ValueError:
            return None

    def age_on(self, day: dt.date) -> int | None:
        birth = self.birth
        return None if birth is None else identity.age_years(birth, day)

    def refresh_derived(self) -> None:
        birth = self.birth
        self.birth_month_index = identity.birth_month_index(birth)
        self.curp_index = identity.blind_index("curp", self.curp) if self.curp else ""
        self.link_index = link_index(
            curp=self.curp,
            given_names=self.given_names,
            family_names=self.family_names,
            birth=birth,
        )


def link_index(*, curp: str, given_names: str, family_names: str, birth: dt.date | None) -> str:
    """The keyed index that links presentations of one person: CURP when known (the same
    index family as participants' ``curp_index``), otherwise name and birth date."""
    if curp:
        return identity.blind_index("curp", curp)
    if birth is None:
        return ""
    name = identity.normalize_name(f"{given_names} {family_names}")
    return identity.blind_index("justice-name-birth", f"{name}|{birth.isoformat()}")


#: The columns of the index the indicators read (``analysis.counts``): the range first.
INDICATOR_COLUMNS = [
    "juzgado",
    "presented_at",
    "presented_month",
    "sex",
    "age_years",
    "family",
    "medical_at",
    "screened_at",
    "risk_level",
    "rnd_folio",
    "resolved_at",
    "responsible",
    "sanction",
    "community_hours",
    "commutation",
    "closure",
    "detained_at",
    "arrest_hours",
    # Reincidence reads these with the range and the resolution: from the index alone too.
    "person_key",
    "minor",
    # The median hours to resolution reads this one integer with the range.
    "resolution_micros",
]


class Case(VersionedModel):
    """One presentation of one person before a juzgado cívico."""

    juzgado = models.ForeignKey(
        Juzgado, on_delete=models.PROTECT, related_name="cases", verbose_name=_("juzgado")
    )
    folio = models.CharField(_("case number"), max_length=40)
    person = models.ForeignKey(
        PresentedPerson,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("person"),
    )
    offences = models.ManyToManyField(
        Offence, blank=True, related_name="cases", verbose_name=_("faltas")
    )
    # Police report (IPH for administrative offences).
    iph_folio = models.CharField(_("IPH folio"), max_length=60, blank=True)
    event_at = _moment(_("date and time of the falta"))
    officer = models.CharField(_("officer (name or badge)"), max_length=120, blank=True)
    police_unit = models.CharField(_("police unit"), max_length=60, blank=True)
    detection = models.CharField(
        _("how it came to light"),
        max_length=12,
        choices=Detection.choices,
        default=Detection.FLAGRANCY,
    )
    call_911_folio = models.CharField(_("911 folio"), max_length=60, blank=True)
    place_description = EncryptedTextField(_("place"), blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(14.0), MaxValueValidator(33.0)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-118.5), MaxValueValidator(-86.0)],
    )
    sector = models.ForeignKey(
        "territory.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("sector"),
    )
    cuadrante = models.ForeignKey(
        "territory.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("cuadrante"),
    )
    narrative = EncryptedTextField(_("narrative"), blank=True)
    use_of_force = models.BooleanField(_("use of force"), default=False)
    # Presentation.
    boleta = models.CharField(_("boleta de remisión"), max_length=60, blank=True)
    detained_at = _moment(_("detained at"))
    presented_at = models.DateTimeField(_("presented at"))
    rnd_folio = models.CharField(_("RND folio"), max_length=60, blank=True)
    # Medical certificate.
    medical_at = _moment(_("medical certificate at"))
    physician = _user(_("physician"))
    injuries = EncryptedTextField(_("injuries"), blank=True)
    intoxication = models.CharField(
        _("intoxication"), max_length=8, choices=Intoxication.choices, blank=True
    )
    clinical_age = models.PositiveSmallIntegerField(
        _("clinical age (years)"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    fit = models.BooleanField(_("fit for the hearing"), null=True, blank=True)
    unfit_until = _moment(_("not fit until"))
    # Tamizaje (risk-factor screening).
    screened_at = _moment(_("screened at"))
    screener = _user(_("screened by"))
    instrument = models.ForeignKey(
        "participants.Instrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening instrument"),
    )
    screening_scores = models.JSONField(_("screening scores"), default=dict, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    screening_consent = models.BooleanField(_("consent to the screening"), default=False)
    guardian_name = EncryptedTextField(_("parent or guardian"), blank=True)
    guardian_at = _moment(_("guardian present since"))
    # Public oral hearing.
    hearing_scheduled_at = _moment(_("hearing scheduled"))
    hearing_started_at = _moment(_("hearing started"))
    hearing_ended_at = _moment(_("hearing ended"))
    judge = _user(_("judge"))
    defender_name = EncryptedTextField(_("defender"), blank=True)
    # Resolution.
    resolved_at = _moment(_("resolved at"))
    responsible = models.BooleanField(_("responsible"), null=True, blank=True)
    sanction = models.CharField(_("sanction"), max_length=12, choices=Sanction.choices, blank=True)
    fine_amount = models.DecimalField(
        _("fine (in the catalogue's unit)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fine_unit = models.CharField(_("fine unit"), max_length=3, choices=FineUnit.choices, blank=True)
    unit_value = models.DecimalField(
        _("value of one unit in pesos"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=10, choices=Occupation.choices, blank=True
    )
    declared_daily_wage = models.DecimalField(
        _("declared daily wage or income (pesos)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    arrest_hours = models.PositiveSmallIntegerField(
        _("arrest hours"), null=True, blank=True, validators=[MaxValueValidator(MAX_ARREST_HOURS)]
    )
    community_hours = models.PositiveSmallIntegerField(
        _("community-work hours"), null=True, blank=True
    )
    measure = models.CharField(_("measure (MMCC)"), max_length=300, blank=True)
    measure_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization of the measure"),
    )
    measure_sessions = models.PositiveSmallIntegerField(
        _("sessions of the measure"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
        help_text=_("Sessions the person is to attend at the organization (planned)."),
    )
    #: The referral of the person to the organization of the measure, sent by a consented
    #: diversion (``justice.diversion``) and answered by the organization; once accepted, the
    #: case reads the attendance of the enrollment it opened, nothing else.
    measure_referral = models.ForeignKey(
        "participants.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("referral of the measure"),
    )
    commutation = models.CharField(
        _("commutation"),
        max_length=10,
        choices=Commutation.choices,
        default=Commutation.NOT_ASKED,
    )
    commutation_reason = models.CharField(_("commutation reason"), max_length=300, blank=True)
    repeat = models.BooleanField(
        _("earlier presentation"),
        default=False,
        help_text=_(
            "The person had an earlier resolved case. For an adult this is a reincidence; for "
            "a minor it is never a label, only a new contact."
        ),
    )
    minor = models.BooleanField(_("minor"), default=False, editable=False)
    # Closure.
    closed_at = _moment(_("closed at"))
    closure = models.CharField(_("closure"), max_length=16, choices=Closure.choices, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    created_by = _user(None, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Grouping keys of the indicators, stored so that one GROUP BY reads them (see
    # ``refresh_keys``; the family follows the faltas through ``offences_changed``).
    presented_month = models.IntegerField(null=True, blank=True, editable=False)
    age_years = models.SmallIntegerField(null=True, blank=True, editable=False)
    sex = models.CharField(max_length=1, blank=True, editable=False)
    family = models.CharField(max_length=12, blank=True, editable=False)
    #: The key that links the person's presentations (reincidence): the first (smallest) id
    #: of the presented persons with the person's ``link_index``, the person's own id without
    #: one. Stored so that reincidence reads the cases alone, never the person rows
    #: (``refresh_keys``; ``person_saved`` keeps it when a person's index changes).
    person_key = models.BigIntegerField(null=True, blank=True, editable=False)
    #: Whole microseconds from the presentation to the resolution (``None`` until resolved):
    #: the median hours to resolution reads this integer, not two datetimes per case
    #: (``refresh_keys``).
    resolution_micros = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-presented_at", "-id"]
        verbose_name = _("civic-justice case")
        verbose_name_plural = _("civic-justice cases")
        constraints = [
            models.UniqueConstraint(fields=["juzgado", "folio"], name="justice_case_folio"),
            models.CheckConstraint(
                condition=models.Q(arrest_hours__isnull=True)
                | models.Q(arrest_hours__lte=MAX_ARREST_HOURS),
                name="justice_arrest_36h",
            ),
            models.CheckConstraint(
                condition=~(models.Q(minor=True) & models.Q(sanction="arresto")),
                name="justice_no_arrest_of_minors",
            ),
        ]
        indexes = [
            models.Index(fields=["juzgado", "closed_at", "presented_at"], name="justice_board"),
            models.Index(fields=["person", "presented_at"], name="justice_person_time"),
            models.Index(fields=["resolved_at"], name="justice_resolved"),
            # The indicators' range (juzgado, presentation time) holding every column their
            # sums read: SQLite answers from the index alone, not from the wide rows.
            models.Index(fields=INDICATOR_COLUMNS, name="justice_indicators"),
        ]

    def __str__(self) -> str:
        return self.folio

    @property
    def audit_label(self) -> str:
        return self.folio

    @property
    def custody_start(self) -> dt.datetime:
        """Where the 36 hours are counted from: the detention, or else the presentation."""
        return self.detained_at or self.presented_at

    def hours_since_detention(self, now: dt.datetime | None = None) -> float:
        now = now or timezone.now()
        return (now - self.custody_start).total_seconds() / 3600

    @property
    def stage(self) -> str:
        """The next stage the case waits for (``closed`` when done)."""
        if self.closed_at:
            return "closed"
        if self.resolved_at:
            return "follow_up"
        if self.hearing_started_at:
            return "resolution"
        if not self.medical_at:
            return "medical"
        if not self.screened_at:
            return "screening"
        return "hearing"

    @property
    def is_adolescent_contact(self) -> bool:
        """A minor's earlier presentation is a program outcome ("nuevo contacto")."""
        return self.minor and self.repeat

    @property
    def is_reincident(self) -> bool:
        return self.repeat and not self.minor

    def clean(self) -> None:
        from civica.justice import rules

        offences = getattr(self, "_offences", None)
        rules.raise_errors(rules.check_case(self, offences))
        self.refresh_keys(offences)

    def save(self, *args, **kwargs):
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and KEYED_BY & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *KEY_FIELDS}
        super().save(*args, **kwargs)

    def refresh_keys(self, offences=None) -> None:
        """The stored grouping keys of the indicators: the local month of the presentation
        (``year * 12 + month - 1``), the age in whole years that month (from the person's
        birth month index; ``None`` when unknown), the person's sex, the person's linking key,
        the microseconds from presentation to resolution, and — when ``offences``
        are given — the family of the faltas (the first by code, as ``Min``)."""
        self.presented_month = None
        if self.presented_at is not None:
            local = self.presented_at.astimezone(ZoneInfo(settings.TIME_ZONE))
            self.presented_month = local.year * 12 + local.month - 1
        person = self.person if self.person_id else None
        born = None if person is None else person.birth_month_index
        self.age_years = (
            None
            if born is None or self.presented_month is None
            else (self.presented_month - born) // 12
        )
        self.sex = "" if person is None else (person.sex or "")
        self.person_key = person_key_of(person)
        self.resolution_micros = micros_to_resolution(self.presented_at, self.resolved_at)
        if offences is not None:
            self.family = family_of(offences)


#: The stored grouping keys (``Case.refresh_keys``), written with the fields they follow.
KEY_FIELDS = ("presented_month", "age_years", "sex", "person_key", "resolution_micros")
#: The fields the stored keys follow: saving any of them writes the keys too.
KEYED_BY = {"presented_at", "person", "resolved_at"}


def micros_to_resolution(presented_at: dt.datetime | None, resolved_at: dt.datetime | None):
    """``Case.resolution_micros``: whole microseconds from ``presented_at`` to
    ``resolved_at`` (exact: a timedelta counts microseconds), ``None`` unless both are set."""
    if presented_at is None or resolved_at is None:
        return None
    return (resolved_at - presented_at) // dt.timedelta(microseconds=1)


def person_key_of(person: PresentedPerson | None) -> int | None:
    """``Case.person_key`` of a case of ``person``: the smallest id among the presented
    persons with the same ``link_index`` (one indexed look-up), or the person's own id."""
    if person is None or person.pk is None:
        return None
    if not person.link_index:
        return person.pk
    first = (
        PresentedPerson.objects.filter(link_index=person.link_index)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    return person.pk if first is None else min(first, person.pk)


def refresh_person_keys(person: PresentedPerson) -> int:
    """Store again ``Case.person_key`` of every case whose key may follow ``person``: its own
    cases, those of the persons with its link index, and those keyed by its id (the group
    it belonged to before its index changed). Returns the cases changed."""
    persons = set(Case.objects.filter(person_key=person.pk).values_list("person_id", flat=True))
    persons.add(person.pk)
    if person.link_index:
        persons |= set(
            PresentedPerson.objects.filter(link_index=person.link_index).values_list(
                "id", flat=True
            )
        )
    indexes = dict(PresentedPerson.objects.filter(id__in=persons).values_list("id", "link_index"))
    first = dict(
        PresentedPerson.objects.filter(link_index__in={i for i in indexes.values() if i})
        .values("link_index")
        .annotate(first=models.Min("id"))
        .values_list("link_index", "first")
    )
    changed = 0
    for pk, index in indexes.items():
        key = min(first[index], pk) if index else pk
        changed += Case.objects.filter(person_id=pk).exclude(person_key=key).update(person_key=key)
    return changed


@receiver(post_save, sender=PresentedPerson)
def person_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A person whose link index changed (an edit, a merge of records) moves their cases'
    linking key, and the keys of the group they left or joined (any path: services,
    imports, admin). A new person has no case yet."""
    if created or raw:
        return
    refresh_person_keys(instance)


def family_of(offences) -> str:
    """The family a case is counted under: the first of its faltas' families by code (what
    ``Min`` answers in SQL), ``""`` without faltas."""
    return min((o.family for o in offences), default="")


@receiver(m2m_changed, sender=Case.offences.through)
def offences_changed(sender, instance, action, reverse, **kwargs) -> None:
    """Keep the stored family of the cases whose faltas changed (any path: services,
    imports, admin, tests)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # an offence's cases: recompute each
        ids = list(kwargs.get("pk_set") or ()) if action != "post_clear" else None
        cases = Case.objects.filter(pk__in=ids) if ids is not None else Case.objects.none()
        for case in cases:
            _store_family(case)
        return
    _store_family(instance)


def _store_family(case: Case) -> None:
    family = family_of(case.offences.all())
    case.family = family
    Case.objects.filter(pk=case.pk).exclude(family=family).update(family=family)


class Mediation(models.Model):
    """A neighbour conflict settled by mediation: the parties' agreement and its checks at 30
    and 90 days."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediations")
    mediator = _user(_("mediator"))
    parties = EncryptedTextField(_("parties"))
    agreement = EncryptedTextField(_("agreement"), blank=True)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    checked_30_on = models.DateField(_("checked at 30 days on"), null=True, blank=True)
    kept_30 = models.BooleanField(_("kept at 30 days"), null=True, blank=True)
    checked_90_on = models.DateField(_("checked at 90 days on"), null=True, blank=True)
    kept_90 = models.BooleanField(_("kept at 90 days"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        # The indicators read the agreements of a period (then their cases).
        indexes = [models.Index(fields=["agreed_on"], name="justice_mediation_agreed")]

    def __str__(self) -> str:
        return f"{self.case.folio} #{self.pk}"

    @property
    def audit_label(self) -> str:
        return str(self)

    def clean(self) -> None:
        from civica.justice import rules

        rules.raise_errors(rules.check_mediation(self))

    def due_checks(self) -> list[tuple[int, dt.date]]:
        if not self.agreed_on:
            return []
        due = []
        if self.kept_30 is None:
            due.append((30, self.agreed_on + dt.timedelta(days=30)))
        if self.kept_90 is None:
            due.append((90, self.agreed_on + dt.timedelta(days=90)))
        return due


class FollowUp(models.Model):
    """One follow-up entry: hours served, a session attended or missed, a non-compliance."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=14, choices=FollowUpKind.choices)
    on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    supervisor = _user(_("supervisor"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["case", "on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.case.folio} {self.on.isoformat()} {self.kind}"

    def clean(self) -> None:
        from civica.justice import rules

        rules.raise_errors(rules.check_follow_up(self))
