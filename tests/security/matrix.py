"""The permission matrix as data: for every URL name, what each method needs and where its object lies.

Expectations are derived, not typed out per role: an API entry names the capability of `core.roles` each method
needs (api.md, Roles and scope), and `expected_statuses` turns it into a status code for every caller with
`core.roles.ROLE_CAPABILITIES` and the scope rules (no capability → 403, object outside the caller's regions →
404, nobody signed in → 401, allowed → 2xx, or 400 for the empty body a write is sent). Pages are few and typed
out. `test_permission_matrix.py` fails when the URL router has a name this table lacks, or the reverse.
"""

from dataclasses import dataclass, field

from core.regions import significant_prefix
from core.roles import ROLE_CAPABILITIES, Capability, code_in_prefixes

READ = Capability.READ_REGISTER
FIGURES = Capability.READ_FIGURES
EDIT = Capability.EDIT_REGISTER
COUNTY = Capability.COUNTY_ADMINISTRATION
ACTIVITY = Capability.RECORD_ACTIVITY
PUBLIC = "public"  # answers without credentials

WRITE_OK = frozenset({200, 201, 204, 400})  # an empty body: refused as invalid, or (a PATCH of nothing) accepted

# The region level of each kind of object of tests.security.world: most live in the village, these in the county.
COUNTY_KINDS = frozenset({"county", "comparison", "category_setting", "campaign", "unit", "cadre", "program"})


@dataclass(frozen=True)
class Api:
    """An API route: capability per method; path and query values naming kinds of objects of the world."""

    methods: dict
    path: dict = field(default_factory=dict)  # URL kwarg → kind of object ("household", "county", …)
    query: dict = field(default_factory=dict)  # query parameter → kind of object (its scope decides, like a path)
    fixed_query: dict = field(default_factory=dict)  # query parameters every request carries
    # "subtree": visible when the object's region lies inside the caller's grant; "overlap": also when it
    # contains it (a county's program is seen by its village teams).
    visible: str = "subtree"
    ok: dict = field(default_factory=dict)  # method → statuses an allowed caller may get, when not the default
    callers: tuple | None = None  # only these callers (None: all); the schema is the same for everyone

    @property
    def scoped(self) -> bool:
        return bool(self.path or self.query)


@dataclass(frozen=True)
class Page:
    """A web page: the status per caller (`signed_in` for every signed-in caller not listed)."""

    path: dict = field(default_factory=dict)
    anonymous: int = 302
    signed_in: int = 200
    by_caller: dict = field(default_factory=dict)  # caller → status, side "in"
    out_of_scope: int | None = None  # status for a signed-in caller on the "out" side's object (None: no object)
    methods: tuple = ("GET",)


H = {"pk": "household"}
NOT_ADMINISTRATORS = dict.fromkeys(("nobody", "api_client", "village_team", "township_reviewer", "inspector"), 404)
NOT_COUNTY_WRITERS = {"nobody": 404, "api_client": 403, "village_team": 403, "township_reviewer": 403, "inspector": 403}
NOT_EDITORS = {"nobody": 403, "api_client": 403, "inspector": 403, "township_reviewer": 403}
API = {
    "api:token": Api({"POST": PUBLIC}),
    # Regions, reports, summaries
    "api:region-list": Api({"GET": FIGURES}),
    "api:region-detail": Api({"GET": FIGURES}, path={"code": "village"}),
    "api:village-evaluation": Api({"GET": FIGURES}, path={"code": "village"}, fixed_query={"year": "2017"}),
    # The village exit procedure: each step's role is the service's (township, county office, village team).
    "api:village-exits": Api({"GET": READ, "POST": READ}, path={"code": "village"}),
    "api:village-exit-steps": Api({"POST": READ}, path={"code": "village"}),
    "api:village-exit-objections": Api({"GET": READ, "POST": READ}, path={"code": "village"}),
    "api:village-exit-objection-resolve": Api({"POST": READ}, path={"code": "village"}),
    "api:report-annual": Api({"GET": FIGURES}, path={"code": "county"}, fixed_query={"year": "2017"}),
    "api:summary-detail": Api({"GET": FIGURES}, path={"code": "county"}, fixed_query={"as_of": "2017-12-31"}),
    "api:summary-series": Api(
        {"GET": FIGURES}, path={"code": "county"}, fixed_query={"from": "2016-12-31", "to": "2017-12-31"}
    ),
    "api:changes": Api({"GET": FIGURES}, query={"region": "county"}),
    "api:summary-export-csv": Api({"GET": FIGURES}, query={"region": "county"}, fixed_query={"as_of": "2017-12-31"}),
    "api:summary-export-xlsx": Api({"GET": FIGURES}, query={"region": "county"}, fixed_query={"as_of": "2017-12-31"}),
    "api:export-households-csv": Api({"GET": READ}, query={"region": "village"}),
    "api:export-households-xlsx": Api({"GET": READ}, query={"region": "village"}),
    # The register
    "api:household-list": Api({"GET": READ, "POST": EDIT}),
    "api:household-detail": Api(
        {"GET": READ, "PATCH": EDIT, "DELETE": EDIT}, path=H, ok={"DELETE": WRITE_OK | {409}}
    ),
    "api:household-annual-records": Api({"GET": READ, "POST": EDIT}, path=H),
    "api:household-eligibility": Api({"GET": READ}, path=H, fixed_query={"year": "2016"}),
    "api:household-history": Api({"GET": READ}, path=H),
    "api:household-status-corrections": Api({"GET": READ, "POST": READ}, path=H),  # the service: county office
    "api:published-year-publish": Api({"POST": FIGURES}, path={"code": "county"}),  # the service: county office
    "api:household-members": Api({"GET": READ, "POST": EDIT}, path=H),
    "api:household-procedures": Api({"GET": READ, "POST": READ}, path=H),  # each step's role: the service
    "api:member-lookup": Api({"POST": READ}),
    "api:member-detail": Api({"GET": READ, "PATCH": EDIT}, path={"pk": "member"}),
    "api:member-move": Api({"POST": EDIT}, path={"pk": "member"}),
    # Imports (issue 17): EDIT_REGISTER; the world's import failed (an empty file), so its commit is a conflict.
    "api:import-list": Api({"GET": EDIT, "POST": EDIT}),
    "api:import-detail": Api({"GET": EDIT}, path={"pk": "import"}),
    "api:import-commit": Api({"POST": EDIT}, path={"pk": "import"}, ok={"POST": WRITE_OK | {409}}),
    "api:import-errors": Api({"GET": EDIT}, path={"pk": "import"}),
    "api:import-template": Api({"GET": EDIT}),
    "api:annual-record-detail": Api({"GET": READ, "PATCH": EDIT}, path={"pk": "annual_record"}),
    "api:standard-list": Api({"GET": FIGURES, "POST": COUNTY}),
    "api:standard-detail": Api({"GET": FIGURES, "PATCH": COUNTY}, path={"pk": "standard"}),
    "api:procedure-detail": Api({"GET": READ}, path={"pk": "procedure"}),
    "api:procedure-steps": Api({"POST": READ}, path={"pk": "procedure"}),
    "api:notice-list": Api({"GET": READ}),
    "api:notice-detail": Api({"GET": READ}, path={"pk": "notice"}),
    "api:notice-objections": Api({"GET": READ, "POST": READ}, path={"pk": "notice"}),
    "api:objection-detail": Api({"GET": READ}, path={"pk": "objection"}),
    "api:objection-resolve": Api({"POST": READ}, path={"pk": "objection"}),
    # Cross-checking
    "api:rule-run-create": Api({"POST": EDIT}),
    "api:rule-run-list": Api({"GET": READ}),
    "api:rule-run-detail": Api({"GET": READ}, path={"pk": "rule_run"}),
    "api:finding-list": Api({"GET": READ}),
    "api:finding-detail": Api({"GET": READ, "PATCH": EDIT}, path={"pk": "finding"}),
    "api:comparison-list": Api({"GET": READ, "POST": COUNTY}),
    "api:comparison-detail": Api({"GET": READ}, path={"pk": "comparison"}),
    "api:comparison-row-list": Api({"GET": READ}, path={"comparison_pk": "comparison"}),
    "api:comparison-category-list": Api({"GET": READ, "POST": COUNTY}),
    "api:comparison-category-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "category_setting"}),
    "api:campaign-list": Api({"GET": READ, "POST": COUNTY}),
    "api:campaign-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "campaign"}),
    # Without work teams to rotate, assigning and closing are refused as conflicts (409).
    "api:campaign-assign": Api({"POST": COUNTY}, path={"pk": "campaign"}, ok={"POST": WRITE_OK | {409}}),
    "api:campaign-close": Api({"POST": COUNTY}, path={"pk": "campaign"}, ok={"POST": WRITE_OK | {409}}),
    "api:campaign-assignments": Api({"GET": READ}, path={"pk": "campaign"}),
    "api:campaign-report": Api({"GET": READ}, path={"pk": "campaign"}),
    "api:campaign-samples": Api({"GET": READ}, path={"pk": "campaign"}),
    "api:campaign-verifications": Api({"GET": READ, "POST": ACTIVITY}, path={"pk": "campaign"}),
    # Cadres
    "api:unit-list": Api({"GET": READ, "POST": COUNTY}),
    "api:unit-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "unit"}),
    "api:cadre-list": Api({"GET": READ, "POST": COUNTY}),
    "api:cadre-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "cadre"}),
    "api:cadre-portfolio": Api({"GET": READ}, path={"pk": "cadre"}),
    "api:cadre-my-households": Api({"GET": READ}, ok={"GET": {404}}),  # no cadre is linked to these logins
    "api:work-team-list": Api({"GET": READ, "POST": COUNTY}),
    "api:work-team-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "work_team"}),
    "api:work-team-members": Api({"GET": READ, "POST": COUNTY}, path={"pk": "work_team"}),
    "api:work-team-membership": Api({"PATCH": COUNTY}, path={"pk": "work_team", "membership_id": "team_membership"}),
    "api:pairing-list": Api({"GET": READ, "POST": COUNTY}),
    "api:pairing-handover": Api({"POST": COUNTY}),
    "api:pairing-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "pairing"}),
    "api:visit-list": Api({"GET": READ, "POST": ACTIVITY}),
    "api:visit-detail": Api({"GET": READ, "PATCH": ACTIVITY}, path={"pk": "visit"}),
    # Programs
    "api:program-list": Api({"GET": FIGURES, "POST": COUNTY}),
    "api:program-figures": Api({"GET": FIGURES}, query={"region": "county"}),
    "api:program-detail": Api({"GET": FIGURES, "PATCH": COUNTY}, path={"pk": "program"}, visible="overlap"),
    "api:program-gaps": Api({"GET": READ}, path={"pk": "program"}, visible="overlap"),
    "api:benefit-list": Api({"GET": READ, "POST": ACTIVITY}),
    "api:benefit-detail": Api({"GET": READ, "PATCH": ACTIVITY}, path={"pk": "benefit"}),
    "api:cooperative-list": Api({"GET": FIGURES, "POST": COUNTY}),
    "api:cooperative-detail": Api({"GET": FIGURES, "PATCH": COUNTY}, path={"pk": "cooperative"}),
    "api:cooperative-membership-list": Api({"GET": READ, "POST": COUNTY}),
    "api:cooperative-membership-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "cooperative_membership"}),
    "api:dividend-list": Api({"GET": READ, "POST": COUNTY}),
    "api:dividend-detail": Api({"GET": READ, "PATCH": COUNTY}, path={"pk": "dividend"}),
    "api:project-list": Api({"GET": FIGURES, "POST": COUNTY}),
    "api:project-detail": Api({"GET": FIGURES, "PATCH": COUNTY}, path={"pk": "project"}),
    "api:project-beneficiaries": Api({"GET": READ}, path={"pk": "project"}),
    # Jobs (issue 17): the starter's, and the county office's in its county; the world's "in" job is the village
    # team's, done, without a file. Readers of the register who are neither (township reviewer, inspector) get 404 on
    # it: tests/core/test_pages_jobs.py holds them, the matrix calls the others.
    "api:job-list": Api({"GET": READ}),
    "api:job-detail": Api(
        {"GET": READ}, path={"pk": "job"},
        callers=("village_team", "county_officer", "api_client", "nobody", "superuser", "anonymous"),
    ),  # fmt: skip
    "api:job-file": Api({"GET": READ}, path={"pk": "job"}, ok={"GET": {404}}),  # no file; others' files are 404 too
    "api:job-retry": Api(
        {"POST": READ}, path={"pk": "job"}, ok={"POST": {202}},  # a done job: accepted, nothing changes
        callers=("village_team", "api_client", "nobody", "superuser", "anonymous"),
    ),  # fmt: skip
    # Schema and documentation
    "schema": Api({"GET": PUBLIC}, callers=("anonymous", "inspector")),
    "api-docs": Api({"GET": PUBLIC}, callers=("anonymous", "inspector")),
}

PAGES = {
    "home": Page(),
    "login": Page(anonymous=200, signed_in=302),  # a signed-in user is sent on
    "logout": Page(anonymous=302, signed_in=302, methods=("POST",)),
    "set_language": Page(anonymous=302, signed_in=302, methods=("POST",)),
    "healthz": Page(anonymous=200),
    "metrics": Page(anonymous=200),  # the test client is 127.0.0.1; other addresses get 404 (tests/core/test_operations.py)
    "second-factor": Page(),
    # Pages of a region: 404 outside the caller's regions (READ_FIGURES), like the API.
    "notice-board": Page(path={"code": "village"}, by_caller={"nobody": 404}, out_of_scope=404),
    # The village page (issue 16 point 2): READ_REGISTER in the village, else it does not exist. Its POSTs (the village
    # exit's steps, each role the service's) are tested in tests/lifecycle/test_pages_village.py.
    "village": Page(path={"code": "village"}, by_caller={"nobody": 404, "api_client": 404}, out_of_scope=404),
    "dashboard": Page(
        path={"code": "county"},
        by_caller={"nobody": 404, "village_team": 404, "township_reviewer": 404},
        out_of_scope=404,
    ),
    "annual-report": Page(
        path={"code": "county"},
        by_caller={"nobody": 404, "village_team": 404, "township_reviewer": 404},
        out_of_scope=404,
    ),
    # The register's pages (issue 15): READ_REGISTER; a household outside the caller's regions does not exist.
    "households:list": Page(by_caller={"nobody": 403, "api_client": 403}, methods=("GET", "POST")),
    "households:detail": Page(path=H, by_caller={"nobody": 404, "api_client": 404}, out_of_scope=404),
    # Entry (issue 15, page 4): EDIT_REGISTER; the helpers answer editors only (member-row wants ?index=: 404 without).
    "households:new": Page(by_caller=NOT_EDITORS),
    "households:edit": Page(path=H, by_caller={**NOT_EDITORS, "nobody": 404, "api_client": 404}, out_of_scope=404),
    "households:member-row": Page(signed_in=404, by_caller=NOT_EDITORS),
    "households:id-check": Page(methods=("POST",), by_caller=NOT_EDITORS),
    # Imports (issue 17): EDIT_REGISTER; an import of a region outside the caller's does not exist. An empty upload
    # is the form again with its error (200); the world's import failed, so confirming it says so on its page (302).
    "imports": Page(by_caller=NOT_EDITORS, methods=("GET", "POST")),
    "import": Page(path={"pk": "import"}, by_caller={**NOT_EDITORS, "nobody": 404, "api_client": 404}, out_of_scope=404),
    "import-commit": Page(
        path={"pk": "import"}, methods=("POST",), signed_in=302, out_of_scope=404,
        by_caller={**NOT_EDITORS, "nobody": 404, "api_client": 404},
    ),
    # The annual record: read by READ_REGISTER (read-only without EDIT_REGISTER), 404 outside the scope.
    "record": Page(path={"pk": "household", "year": "=2019"}, by_caller={"nobody": 404, "api_client": 404}, out_of_scope=404),
    # My paired households: RECORD_ACTIVITY (the inspector reads, records nothing).
    "visits": Page(by_caller={"nobody": 403, "api_client": 403, "inspector": 403}),
    # The help side's pages (issue 16 point 7): READ_REGISTER as in the API; the handover needs the county office.
    "cadres": Page(by_caller={"nobody": 403, "api_client": 403}),
    # The world's cadre works for the county: the village team and the township do not see it (as in the API).
    "cadre": Page(
        path={"pk": "cadre"}, out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "village_team": 404, "township_reviewer": 404},
    ),
    "units": Page(by_caller={"nobody": 403, "api_client": 403}),
    "work-teams": Page(by_caller={"nobody": 403, "api_client": 403}),
    "work-team": Page(path={"pk": "work_team"}, by_caller={"nobody": 404, "api_client": 404}, out_of_scope=404),
    "pairing-handover": Page(
        path={"pk": "pairing"}, out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "village_team": 403, "township_reviewer": 403, "inspector": 403},
    ),
    # Pages of issue 15 (lifecycle, checks): objects through the register's scope (READ_REGISTER), 404 outside it.
    "notices": Page(),
    "findings": Page(by_caller={"nobody": 404, "api_client": 404}),
    # Cross-check pages (issue 16 point 5): runs read with READ_REGISTER; running needs EDIT_REGISTER (an empty post
    # shows the form again with its errors, 200).
    "checks": Page(by_caller={"nobody": 404, "api_client": 404}),
    "checks-run": Page(methods=("POST",), by_caller={"nobody": 404, "api_client": 404, "inspector": 403,
                                                     "township_reviewer": 403}),  # fmt: skip
    # Department lists: read with READ_REGISTER (a county's list is outside a village's or township's scope: 404);
    # uploading and the veto settings are the county office's (an empty upload shows the form again, 200; an empty
    # setting goes back to the page, 302).
    "comparisons": Page(by_caller={"nobody": 404, "api_client": 404}),
    "comparison": Page(
        path={"pk": "comparison"}, out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "village_team": 404, "township_reviewer": 404},
    ),  # fmt: skip
    "comparison-upload": Page(methods=("POST",), by_caller={**NOT_EDITORS, "nobody": 404, "api_client": 404,
                                                            "village_team": 403}),  # fmt: skip
    "comparison-category": Page(methods=("POST",), signed_in=302, by_caller={**NOT_EDITORS, "nobody": 404,
                                                                             "api_client": 404, "village_team": 403}),  # fmt: skip
    # Campaigns: read as the API (a reader of the county, or a member of a team assigned in it: the world's draft
    # campaign is the county's); the county office creates, assigns and closes (the world's draft cannot rotate nor
    # close: the refusal is shown on the page, 200).
    # The world's campaign is a draft without samples: a sample page answers 404 to everyone (tests/checks covers it).
    "campaigns": Page(by_caller={"nobody": 404, "api_client": 404}),
    "campaign-new": Page(methods=("GET", "POST"), signed_in=403, by_caller={"county_officer": 200, "superuser": 200}),
    "campaign": Page(
        path={"pk": "campaign"}, out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "village_team": 404, "township_reviewer": 404},
    ),  # fmt: skip
    "campaign-assign": Page(
        path={"pk": "campaign"}, methods=("POST",), out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "village_team": 404, "township_reviewer": 404, "inspector": 403},
    ),  # fmt: skip
    "campaign-close": Page(
        path={"pk": "campaign"}, methods=("POST",), out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "village_team": 404, "township_reviewer": 404, "inspector": 403},
    ),  # fmt: skip
    "campaign-sample": Page(path={"pk": "campaign", "sample_pk": "=999999"}, signed_in=404, out_of_scope=404),
    "procedure-new": Page(path=H, by_caller={"nobody": 404, "api_client": 404}, out_of_scope=404),
    "procedure": Page(path={"pk": "procedure"}, by_caller={"nobody": 404, "api_client": 404}, out_of_scope=404),
    # POST without a body: the village's notice is recorded by the village team or the county office (the refused
    # form is shown again, 200); others get 403.
    "procedure-objection": Page(
        path={"pk": "procedure"}, methods=("POST",), out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "township_reviewer": 403, "inspector": 403},
    ),
    "objection-resolve": Page(
        path={"pk": "procedure", "objection_pk": "objection"}, methods=("POST",), out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 404, "township_reviewer": 403, "inspector": 403},
    ),
    # County pages (issue 16): the review queues for reviewers; the accounts of the county for the county office (an
    # account it does not administer does not exist for the caller: 404); the password change for everyone.
    "reviews": Page(signed_in=403, by_caller={"township_reviewer": 200, "county_officer": 200, "superuser": 200}),
    "my-dashboard": Page(signed_in=302, by_caller={"nobody": 404}),
    "my-annual-report": Page(signed_in=302, by_caller={"nobody": 404}),
    "users": Page(signed_in=403, by_caller={"county_officer": 200, "superuser": 200}),
    "user-reset-password": Page(path={"pk": "account"}, by_caller=NOT_ADMINISTRATORS, out_of_scope=404),
    "user-set-active": Page(
        path={"pk": "account"}, methods=("POST",), signed_in=302, by_caller=NOT_ADMINISTRATORS, out_of_scope=404
    ),
    "password_change": Page(),
    # Personal-data duties (issue 19 point 4): the county office's pages; an alert of another county is 404.
    "personal-data": Page(signed_in=403, by_caller={"county_officer": 200, "superuser": 200}),
    "personal-data-person": Page(
        signed_in=403, by_caller={"county_officer": 200, "superuser": 200}, methods=("GET", "POST")
    ),
    "personal-alert-close": Page(
        path={"pk": "personal_alert"}, methods=("POST",), signed_in=302, by_caller=NOT_ADMINISTRATORS, out_of_scope=404
    ),
    # Programs pages (issue 16 point 6): figures with READ_FIGURES; a program as programs_visible (a county's program is
    # seen by its village teams); beneficiaries and their export with READ_REGISTER; recording a benefit with
    # RECORD_ACTIVITY (an empty form is shown again with its errors, 200). Another county's objects are 404.
    "programs": Page(by_caller={"nobody": 403}),
    "program-create": Page(signed_in=403, by_caller={"county_officer": 200, "superuser": 200}, methods=("GET", "POST")),
    "program": Page(path={"pk": "program"}, by_caller={"nobody": 404}, out_of_scope=404),
    "program-record": Page(
        path={"pk": "program"}, methods=("POST",), out_of_scope=404,
        by_caller={"nobody": 404, "api_client": 403, "inspector": 403},
    ),
    "program-export": Page(path={"pk": "program"}, by_caller={"nobody": 404, "api_client": 403}, out_of_scope=404),
    "cooperatives": Page(by_caller={"nobody": 403}),
    "cooperative": Page(path={"pk": "cooperative"}, by_caller={"nobody": 404}, out_of_scope=404),
    # Cooperatives, members and dividends are written by the county office (COUNTY_ADMINISTRATION); an empty form is
    # shown again with its errors (200).
    "cooperative-create": Page(methods=("POST",), signed_in=403, by_caller={"county_officer": 200, "superuser": 200}),
    "cooperative-member-create": Page(
        path={"pk": "cooperative"}, methods=("POST",), out_of_scope=404, by_caller=NOT_COUNTY_WRITERS
    ),
    "cooperative-dividend-create": Page(
        path={"pk": "cooperative"}, methods=("POST",), out_of_scope=404, by_caller=NOT_COUNTY_WRITERS
    ),
    "projects": Page(by_caller={"nobody": 403}),
    "project-create": Page(methods=("POST",), signed_in=403, by_caller={"county_officer": 200, "superuser": 200}),
    # Jobs (issue 17): every reader of the register follows its jobs; only the starter retries (the county office: 403),
    # a job that is neither theirs nor in their county does not exist (404).
    "jobs": Page(by_caller={"nobody": 403, "api_client": 403}),
    # Starting the XLSX export as a job from the dashboard: READ_REGISTER; a POST without a region is 400.
    "export-households-job": Page(methods=("POST",), signed_in=400, by_caller={"nobody": 403, "api_client": 403}),
    "jobs-retry": Page(
        path={"pk": "job"}, methods=("POST",), signed_in=302, out_of_scope=404,
        by_caller={"county_officer": 403, "township_reviewer": 404, "inspector": 404, "nobody": 404, "api_client": 404},
    ),  # fmt: skip
    # The admin: every working role (ADMIN_ROLES); others are sent to its sign-in page.
    "admin:index": Page(by_caller={"nobody": 302, "api_client": 302}),
    "admin:login": Page(anonymous=200, signed_in=302, by_caller={"nobody": 200, "api_client": 200}),
    "admin:households_household_changelist": Page(by_caller={"nobody": 302, "api_client": 302}),
    # An object outside the caller's scope "does not exist": the admin sends the caller back to its index.
    "admin:households_household_change": Page(
        path={"object_id": "household"}, by_caller={"nobody": 302, "api_client": 302}, out_of_scope=302
    ),
}

# URL names the matrix leaves out, and why: Django's admin generates a set of views per registered model, each
# scoped through core.admin_base.ScopedModelAdmin and tested in tests/*/test_admin.py; the matrix walks the admin's
# index, its sign-in page and the household's list and change page (where personal data shows).
ADMIN_NAMESPACE = "admin"


def holds(caller: str, capability: str) -> bool:
    if caller == "superuser":
        return True
    return capability in ROLE_CAPABILITIES.get(caller, frozenset())


def visible_to(grant_code: str, object_code: str, how: str) -> bool:
    """Whether an object of a region is in the scope of a grant over `grant_code` (see Api.visible)."""
    grant = significant_prefix(grant_code)
    if code_in_prefixes(object_code, (grant,)):
        return True
    return how == "overlap" and code_in_prefixes(grant_code, (significant_prefix(object_code),))


def expected_statuses(entry: Api, method: str, caller: str, side: str, *, grants: dict, codes: dict) -> frozenset:
    """The statuses api.md allows for this caller calling this route on the side's object ("-": no object).

    `grants` maps each role to its grant's region code, `codes` maps each kind of object to its region code.
    """
    capability = entry.methods[method]
    if capability == PUBLIC:
        return frozenset({200}) if method == "GET" else frozenset({400})
    if caller == "anonymous":
        return frozenset({401})
    if not holds(caller, capability):
        return frozenset({403})
    if entry.scoped and caller != "superuser":
        kind = next(iter({**entry.path, **entry.query}.values()))
        if side == "out" or not visible_to(grants[caller], codes[kind], entry.visible):
            return frozenset({404})
    if method in entry.ok:
        return frozenset(entry.ok[method])
    return frozenset({200}) if method == "GET" else WRITE_OK


def page_status(page: Page, caller: str, side: str) -> int:
    if caller == "anonymous":
        return page.anonymous
    status = page.by_caller.get(caller, page.signed_in)
    # Out of scope answers before any right: a 403 on the caller's own object is out_of_scope on another county's.
    if side == "out" and caller != "superuser" and status in (page.signed_in, 403):
        return page.out_of_scope
    return status
