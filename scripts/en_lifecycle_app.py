"""English for the lifecycle app (issue 13): its name in the admin; the moved strings keep their msgids."""

LIFECYCLE_APP = {
    "动态管理": "Lifecycle",
}
