"""Writes of the core app: signing in with lock-out, granting roles, creating users."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from core.errors import AccountLocked, InvalidCredentials
from core.models import RoleGrant, SignInLock
from core.roles import Role
from core.scope import forget_grants


def _record_failure(username: str, now) -> SignInLock:
    window = timedelta(minutes=settings.JINGZHUN_LOCKOUT_WINDOW_MINUTES)
    with transaction.atomic():
        lock, _created = SignInLock.objects.select_for_update().get_or_create(username=username)
        if lock.window_started_at is None or now - lock.window_started_at > window:
            lock.failures = 0
            lock.window_started_at = now
        lock.failures += 1
        if lock.failures >= settings.JINGZHUN_LOCKOUT_FAILURES:
            lock.locked_until = now + timedelta(minutes=settings.JINGZHUN_LOCKOUT_MINUTES)
            lock.failures = 0
            lock.window_started_at = None
        lock.save()
    return lock


def sign_in(*, request, username: str, password: str):
    """The user for these credentials; InvalidCredentials, or AccountLocked after repeated failures.

    Serves the token endpoint, the login page and the admin alike. Failures are counted only for
    user names that exist, so guessing names fills no table.
    """
    now = timezone.now()
    lock = SignInLock.objects.filter(username=username).first()
    if lock is not None and lock.locked_until is not None and lock.locked_until > now:
        raise AccountLocked(lock.locked_until)
    user = authenticate(request, username=username, password=password)
    if user is None:
        if get_user_model().objects.filter(username=username).exists():
            lock = _record_failure(username, now)
            if lock.locked_until is not None and lock.locked_until > now:
                raise AccountLocked(lock.locked_until)
        raise InvalidCredentials()
    SignInLock.objects.filter(username=username).delete()
    return user


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
