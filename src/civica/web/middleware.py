"""Choose the language of a request: Spanish unless the person chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
a Mexican official whose browser happens to be in English. Here the order is: the language
switch (cookie), then the user's saved preference, then ``LANGUAGE_CODE`` (es-mx).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        preference = getattr(user, "preferred_language", "") if user is not None else ""
        language = (
            _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or _supported(preference if user and user.is_authenticated else None)
            or settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
