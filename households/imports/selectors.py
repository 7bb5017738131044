"""Reads of imports (导入), scoped like the register's writes: a region where the caller may edit the register."""

from core.roles import Capability
from core.scope import restrict_to_scope
from households.models import Import
from villages.models import Region


def imports_in_scope(*, user):
    """Imports of regions where the user may edit the register, newest first (the file's bytes left unread)."""
    return (
        restrict_to_scope(Import.objects.all(), user, Capability.EDIT_REGISTER)
        .select_related("region", "user")  # region_name, user's name
        .defer("content")
        .order_by("-created_at", "-id")
    )


def import_region(*, user, code: str) -> Region | None:
    """The region an import may target: it exists and the user may edit the register in all of it (else None)."""
    return restrict_to_scope(Region.objects.filter(pk=code), user, Capability.EDIT_REGISTER, field="code").first()


def import_visible(*, user, pk: int):
    """An import of a region the user reads the register in, or None: outside it the import does not exist (404),
    inside it without the right to edit, the page says so (403)."""
    return restrict_to_scope(Import.objects.all(), user, Capability.READ_REGISTER).select_related("region", "user").filter(pk=pk).first()


def import_job(*, import_id: int):
    """The newest job of an import (its validation, or its commit once confirmed), with its starter and region; None
    for an import made in-process (the command)."""
    from core.models import Job
    from households.jobs import IMPORT_KINDS

    return (
        Job.objects.filter(kind__in=IMPORT_KINDS, params__import_id=import_id)
        .select_related("started_by", "region")
        .order_by("-created_at", "-id")
        .first()
    )
