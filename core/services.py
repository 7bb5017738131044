"""Writes of the core app: signing in with lock-out, API tokens, granting roles, creating users."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from core import tokens
from core.errors import AccountLocked, InvalidCredentials, SignInThrottled
from core.models import AccountState, ApiToken, RoleGrant, SignInLock
from core.roles import Capability, Role
from core.scope import forget_grants, has_capability, is_unrestricted


def client_address(request) -> str:
    """The caller's address exactly as the token endpoint's rate limit sees it (DRF's get_ident):
    REMOTE_ADDR, or the X-Forwarded-For entry our own proxies wrote when NUM_PROXIES says there are any."""
    if request is None:
        return ""
    return (BaseThrottle().get_ident(request) or "")[: SignInLock._meta.get_field("address").max_length]


def _count_failure(username: str, address: str, now, window: timedelta) -> SignInLock:
    lock, _created = SignInLock.objects.select_for_update().get_or_create(username=username, address=address)
    if lock.window_started_at is None or now - lock.window_started_at > window:
        lock.failures = 0
        lock.window_started_at = now
    lock.failures += 1
    return lock


def _record_failure(username: str, address: str, now) -> tuple[SignInLock, SignInLock]:
    """Count a failure for (name, address) and for the name from everywhere; lock or hold back as due."""
    window = timedelta(minutes=settings.JINGZHUN_LOCKOUT_WINDOW_MINUTES)
    with transaction.atomic():
        # Rows whose window and lock are both over only wait to be reset: drop them, so guessed
        # names (counted too, see sign_in) do not pile up.
        SignInLock.objects.filter(
            Q(window_started_at__isnull=True) | Q(window_started_at__lt=now - window),
            Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        ).delete()
        # The name-wide row first, then the address row: one order everywhere, so no deadlock.
        everywhere = _count_failure(username, SignInLock.ALL_ADDRESSES, now, window)
        if everywhere.failures >= settings.JINGZHUN_SIGNIN_NAME_FAILURES:
            everywhere.locked_until = now + timedelta(seconds=settings.JINGZHUN_SIGNIN_NAME_DELAY_SECONDS)
        everywhere.save()
        here = _count_failure(username, address, now, window)
        if here.failures >= settings.JINGZHUN_LOCKOUT_FAILURES:
            here.locked_until = now + timedelta(minutes=settings.JINGZHUN_LOCKOUT_MINUTES)
            here.failures = 0
            here.window_started_at = None
        here.save()
    return here, everywhere


def _refuse_if_held(here: SignInLock | None, everywhere: SignInLock | None, now) -> None:
    if here is not None and here.locked_until is not None and here.locked_until > now:
        raise AccountLocked(here.locked_until)
    if everywhere is not None and everywhere.locked_until is not None and everywhere.locked_until > now:
        raise SignInThrottled(everywhere.locked_until)


def sign_in(*, request, username: str, password: str):
    """The user for these credentials; InvalidCredentials, AccountLocked or SignInThrottled otherwise.

    Serves the token endpoint, the login page and the admin alike. Failures are counted per user
    name and client address: JINGZHUN_LOCKOUT_FAILURES of them within the window lock the name for
    that address only, so no one can lock the owner out from elsewhere. Failures from all addresses
    together past JINGZHUN_SIGNIN_NAME_FAILURES hold the name back a short while after each further
    failure (throttled), which slows guessing from many addresses without locking anyone out.
    Names that do not exist are counted exactly like those that do: the answers never tell them apart.
    """
    now = timezone.now()
    address = client_address(request)
    rows = {
        lock.address: lock
        for lock in SignInLock.objects.filter(username=username, address__in=[address, SignInLock.ALL_ADDRESSES])
    }
    _refuse_if_held(rows.get(address), rows.get(SignInLock.ALL_ADDRESSES), now)
    user = authenticate(request, username=username, password=password)
    if user is None:
        _refuse_if_held(*_record_failure(username, address, now), now)
        raise InvalidCredentials()
    # The name-wide count stays: the owner signing in must not give a guesser a fresh allowance.
    SignInLock.objects.filter(username=username, address=address).delete()
    return user


def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for the user: the row, and the token itself, which is stored nowhere and shown once.

    It lives JINGZHUN_API_CLIENT_TOKEN_DAYS for a user whose only roles are api_client, otherwise
    JINGZHUN_TOKEN_DAYS. The user's expired tokens are dropped on the way.
    """
    now = timezone.now()
    days = tokens.lifetime_days(
        # Read afresh, not through user_grants: that would cache the grants on the caller's user object.
        roles=set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)),
        unrestricted=is_unrestricted(user),
        people_days=settings.JINGZHUN_TOKEN_DAYS,
        client_days=settings.JINGZHUN_API_CLIENT_TOKEN_DAYS,
    )
    key = tokens.new_key()
    with transaction.atomic():
        ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
        token = ApiToken.objects.create(
            user=user, digest=tokens.digest(key), name=name, expires_at=now + timedelta(days=days)
        )
    return token, key


def api_token_delete(*, token: ApiToken) -> None:
    """Log out: this token no longer authenticates (the user's other tokens stay)."""
    ApiToken.objects.filter(pk=token.pk).delete()


def role_grant_create(*, user, role: str, region) -> RoleGrant:
    """Grant a role over a region's subtree; granting what the user already holds changes nothing."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role, region=region)
    forget_grants(user)
    return grant


def user_create_or_update(*, username: str, password: str | None, grants, superuser: bool = False):
    """Create the user (or find the existing one) and add the grants, all or nothing.

    `grants` are (role, Region) pairs. A new user needs a password, checked by Django's password
    validators; for an existing user a given password replaces the old one.
    """
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if created:
            if not password:
                raise ValueError("a new user needs --password")
            user = User(username=username)
        if password:
            validate_password(password, user)
            user.set_password(password)
        if superuser:
            user.is_superuser = True
            user.is_staff = True
        user.full_clean(exclude=["password"] if not password else None)
        user.save()
        made = [role_grant_create(user=user, role=role, region=region) for role, region in grants]
    return user, created, made


# Accounts (账号管理, /users/): the county office creates, resets and disables accounts in its own county ---------


def _state(user):
    state, _created = AccountState.objects.select_for_update().get_or_create(user=user)
    return state


@transaction.atomic
def account_create(*, by, username: str, password: str, role: str, region):
    """Create an account with one role over a region the creator administers; its password is changed at the first
    sign-in. Refused (PermissionError) outside the creator's regions; a superuser role is never given here."""
    if not has_capability(by, Capability.COUNTY_ADMINISTRATION, region.code):
        raise PermissionError(region.code)
    user, created, _made = user_create_or_update(username=username, password=password, grants=[(role, region)])
    if not created:
        raise ValueError("exists")
    state = _state(user)
    state.must_change_password, state.changed_by, state.last_change = True, by, "created"
    state.save()
    return user


@transaction.atomic
def account_reset_password(*, by, user, password: str):
    """Give the account a temporary password that must be changed at the next sign-in (重置密码)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    state = _state(user)
    state.must_change_password, state.changed_by, state.last_change = True, by, "password_reset"
    state.save()
    return user


@transaction.atomic
def account_set_active(*, by, user, active: bool):
    """Disable (停用) or enable an account: a disabled one cannot sign in, and its API tokens stop working."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    state = _state(user)
    state.disabled, state.changed_by, state.last_change = not active, by, "enabled" if active else "disabled"
    state.save()
    return user


def password_changed(*, user) -> None:
    """The user chose a new password: the reset's demand to change it is met."""
    AccountState.objects.filter(user=user, must_change_password=True).update(
        must_change_password=False, last_change="password_changed"
    )


def api_tokens_rate_limit_set(*, username: str, limit: int | None, name: str | None = None) -> int:
    """Set the rate limit (requests per window) of a user's API tokens, or of the one so named; None goes back to
    the default (JINGZHUN_API_RATE_LIMIT). How many tokens changed; ValueError for no such user or token."""
    if limit is not None and limit < 1:
        raise ValueError("the limit is a whole number of requests, at least 1")
    tokens = ApiToken.objects.filter(user__username=username)
    if name is not None:
        tokens = tokens.filter(name=name)
    changed = tokens.update(rate_limit=limit)
    if not changed:
        raise ValueError(f"user {username!r} has no API token" + (f" named {name!r}" if name is not None else ""))
    return changed
