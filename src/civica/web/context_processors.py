from civica import __version__


def civica(request):
    return {"civica_version": __version__}
