from checks.api import campaigns, comparisons, findings

urlpatterns = findings.urlpatterns + comparisons.urlpatterns + campaigns.urlpatterns
