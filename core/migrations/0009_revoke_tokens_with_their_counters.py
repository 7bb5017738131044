"""A password change revokes the user's tokens together with their rate counters (访问计数).

The trigger of migration 0004 deleted core_apitoken rows only; a token that had been used has a row in
core_apiratecounter (migration 0007) whose foreign key does not cascade in the database (Django cascades in
Python), so changing the password of such a user failed on that key. The function now deletes the counters first.
"""

from django.db import migrations

FUNCTION = "core_revoke_api_tokens"

REVOKE_WITH_COUNTERS = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core_apiratecounter
     WHERE token_id IN (SELECT id FROM core_apitoken WHERE user_id = NEW.id);
    DELETE FROM core_apitoken WHERE user_id = NEW.id;
    RETURN NULL;
END $$;
"""

REVOKE_TOKENS_ONLY = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core_apitoken WHERE user_id = NEW.id;
    RETURN NULL;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0008_jobs")]

    operations = [migrations.RunSQL(REVOKE_WITH_COUNTERS, REVOKE_TOKENS_ONLY)]
