"""The one way a view or an API endpoint says who may use it, and the one audited download.

Every page declares its access with :func:`requires` (or :func:`public` for the few pages an
anonymous visitor needs); every API view inherits :class:`CapabilityMixin` and sets
``required_capability``. The declaration is kept on the view (``view.civica_access``), so the
access-matrix test (``accounts/tests/test_access_matrix.py``) derives the expected answer of
every URL × role × method from it, including views added later.

The answer, in this order (docs/access.md, "What a request gets"):

* anonymous visitor: the log-in page (web) or 401 (API);
* a method the view does not take: 405;
* a role without the capability of the method (``read`` for GET/HEAD, ``write`` for the
  others): 403;
* a record outside the user's scope: 404, exactly like a missing one (the selectors decide).

Files leave through :func:`audited_download`, which checks the *export* capability itself, so
a view cannot forget it (a case worker once downloaded incident points through a map layer
with ``?download=``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from civica.accounts.roles import Capability

__all__ = [
    "SIGNED_IN",
    "SYSTEM",
    "Access",
    "CapabilityMixin",
    "HasCapability",
    "access_of",
    "actor",
    "audited_download",
    "check",
    "download_rule",
    "is_system",
    "may_download",
    "public",
    "requires",
    "user_of",
]

#: The capability of pages every signed-in user may open (reference data, own profile).
SIGNED_IN = "signed_in"
#: The capability of pages an anonymous visitor may open (log-in).
PUBLIC = "public"

_READ_METHODS = ("GET", "HEAD")


class SystemActor:
    """The system itself, acting for an operator: a command line, a job without an owner,
    the demo loader, a migration. It may see and do everything (like an administrator) but is
    no user: nothing is owned by it and the audit log records it with an empty actor.

    Every selector, service and computation takes the actor first; pass a user (the
    request's) or :data:`SYSTEM`. ``None`` is refused (:func:`actor`), so a forgotten user
    cannot silently read everything.
    """

    is_system = True
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_administrator = True
    is_staff = True
    is_superuser = True
    nationwide = True
    pk = None
    id = None
    role = "system"
    username = ""

    def can(self, capability) -> bool:
        return True

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"

    def __reduce__(self):
        return "SYSTEM"  # pickles as the module-level singleton


#: The one system actor (see :class:`SystemActor`).
SYSTEM = SystemActor()


class NoActorError(TypeError):
    """A read or a computation was called without saying on whose behalf (``None``)."""


def actor(user):
    """``user`` itself, after refusing ``None``: pass the request's user or :data:`SYSTEM`."""
    if user is None:
        raise NoActorError(
            "no actor: pass the requesting user, or civica.accounts.access.SYSTEM for the "
            "system itself (command line, jobs, demo)"
        )
    return user


def is_system(user) -> bool:
    """Whether ``user`` is the system actor (refuses ``None``)."""
    return actor(user) is SYSTEM


def user_of(user):
    """The user to record as author or owner of a row: ``None`` for :data:`SYSTEM` (refuses
    ``None`` itself)."""
    return None if actor(user) is SYSTEM else user


def check(user, capability: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` (a user or :data:`SYSTEM`) holds
    ``capability``; ``None`` raises :class:`NoActorError`."""
    user = actor(user)
    if not getattr(user, "is_authenticated", False) or not user.can(capability):
        raise PermissionDenied


Needs = str | tuple[str, ...] | None


def _tuple(needs) -> tuple[str, ...] | None:
    if needs is None:
        return None
    return tuple(str(n) for n in needs) if isinstance(needs, tuple | list) else (str(needs),)


@dataclass(frozen=True)
class Access:
    """What a view takes: the capabilities to read (GET/HEAD) and to write (POST), if any.

    Each is a tuple of capabilities that must all hold, :data:`SIGNED_IN` or :data:`PUBLIC`;
    ``None`` refuses the method.
    """

    read: tuple[str, ...] | None
    write: tuple[str, ...] | None = None
    #: Answer 404 rather than 403 to a role without the capability (pages whose very
    #: existence is personal: participants).
    hidden: bool = False
    #: The query parameter that turns the answer into a file (``?download=csv``): such a
    #: request also needs *export*.
    download: str | None = None

    @property
    def methods(self) -> tuple[str, ...]:
        return (_READ_METHODS if self.read else ()) + (("POST",) if self.write else ())

    @property
    def denied_status(self) -> int:
        return 404 if self.hidden else 403

    @property
    def is_public(self) -> bool:
        return PUBLIC in (self.read or ()) + (self.write or ())

    def needs(self, method: str, query=None) -> tuple[str, ...] | None:
        """The capabilities a request needs; ``None``: the method is refused."""
        if method in _READ_METHODS:
            if self.read and self.download and query and query.get(self.download):
                return (*self.read, Capability.EXPORT.value)
            return self.read
        return self.write if method == "POST" else None


#: Named rules a page may need besides capabilities, each decided by the app that owns it
#: (``download_rule``): a file an app gives to some of its roles without the global *export*
#: capability (the civic judge's case list, ``justice/permissions.py``).
_DOWNLOAD_RULES: dict[str, Callable[[object], bool]] = {}


def download_rule(name: str, predicate: Callable[[object], bool]) -> str:
    """Register ``predicate(user)`` under ``name`` and return ``name``: a view declares it as
    a need (``@requires((CAPABILITY, name))``) and passes it to :func:`audited_download` as
    the capability, so the page, the file and the access-matrix test read one decision."""
    _DOWNLOAD_RULES[name] = predicate
    return name


def _holds(user, need: str) -> bool:
    if need == SIGNED_IN:
        return True
    rule = _DOWNLOAD_RULES.get(need)
    return bool(rule(user)) if rule is not None else user.can(need)


def allows(user, needs: tuple[str, ...] | None) -> bool:
    """Whether ``user`` (maybe anonymous) holds every capability (or rule) of ``needs``."""
    if needs is None:
        return False
    if PUBLIC in needs:
        return True
    if user is None or not user.is_authenticated:
        return False
    return all(_holds(user, n) for n in needs)


def may_download(user, needs: tuple[str, ...] | None = None) -> bool:
    """Whether a file may leave to ``user``: the *export* capability, or a download rule among
    ``needs`` (a view's declared needs) that allows the user."""
    if user is None or not user.is_authenticated:
        return False
    if user.can(Capability.EXPORT):
        return True
    return any(n in _DOWNLOAD_RULES and _DOWNLOAD_RULES[n](user) for n in needs or ())


def requires(
    read: Needs, *, write: Needs = None, hidden: bool = False, download: str | None = None
) -> Callable:
    """Declare a page's access: ``read`` for GET/HEAD, ``write`` for POST (refused if None).

    Each is a :class:`~civica.accounts.roles.Capability`, a tuple of them (all needed) or
    :data:`SIGNED_IN`. Anonymous visitors go to the log-in page; a refused method answers 405,
    a missing capability 403 (404 with ``hidden``). ``download`` names the query parameter
    that makes the page answer a file, which then also needs *export*.
    """
    access = Access(read=_tuple(read), write=_tuple(write), hidden=hidden, download=download)
    if access.is_public:
        raise ValueError("use @public for pages an anonymous visitor may open")

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            needs = access.needs(request.method, request.GET)
            if needs is None:
                return HttpResponseNotAllowed(access.methods)
            if not allows(request.user, needs):
                if access.hidden:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = login_required(checked)
        wrapped.civica_access = access
        return wrapped

    return decorator


def public(view=None, *, read: bool = True, write: bool = False):
    """Declare a page an anonymous visitor may open (log-in); ``read`` takes GET, ``write`` POST."""

    def decorator(view):
        access = Access(read=(PUBLIC,) if read else None, write=(PUBLIC,) if write else None)

        @wraps(view)
        def checked(request, *args, **kwargs):
            if access.needs(request.method) is None:
                return HttpResponseNotAllowed(access.methods)
            return view(request, *args, **kwargs)

        checked.civica_access = access
        return checked

    return decorator(view) if view is not None else decorator


def access_of(callback) -> Access | None:
    """The declared access of a resolved URL callback (function view, class view, DRF view)."""
    declared = getattr(callback, "civica_access", None)
    if declared is not None:
        return declared
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if isinstance(cls, type) and issubclass(cls, CapabilityMixin):
        return Access(read=_tuple(cls.required_capability), write=_tuple(cls.write_capability))
    return None


class HasCapability(BasePermission):
    """DRF permission reading the view's ``required_capability`` / ``write_capability``."""

    def has_permission(self, request, view) -> bool:
        read = _tuple(getattr(view, "required_capability", None))
        write = _tuple(getattr(view, "write_capability", None))
        if request.method in SAFE_METHODS:
            return allows(request.user, read)
        # Without a write capability, a role that may read gets past here and meets DRF's own
        # 405 for a method the view does not take.
        return allows(request.user, write or read)


class CapabilityMixin:
    """Base of every API view: signed in (token or session) and the declared capabilities."""

    required_capability: str | None = None
    write_capability: str | None = None
    permission_classes = [IsAuthenticated, HasCapability]


def audited_download(
    request,
    content: str | bytes | Iterable,
    *,
    filename: str,
    content_type: str,
    obj=None,
    object_type: str = "",
    object_label: str = "",
    detail: dict | None = None,
    personal_data: bool = False,
    capability: str = Capability.EXPORT,
) -> HttpResponse:
    """A file to download: checks *export* (or ``capability``, for a file that is the page
    the user already reads, such as the donors' fact sheet, or a :func:`download_rule` of the
    app that owns the file), writes the audit event, answers an attachment.

    ``content`` may be an iterator of chunks (streamed). Raises ``PermissionDenied`` for a
    role that may not download it, before anything is recorded or sent.
    """
    from civica.audit.models import Action
    from civica.audit.services import record

    if not allows(request.user, (str(capability),)):
        raise PermissionDenied
    record(
        actor=request.user,
        action=Action.EXPORT,
        obj=obj,
        object_type=object_type,
        object_label=object_label,
        personal_data=personal_data,
        detail=detail if detail is not None else {"query": request.GET.urlencode()[:500]},
    )
    if isinstance(content, str | bytes):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
