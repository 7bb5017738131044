"""The demo county's regions (docs/demo.md, Geography): Jilin → Baicheng → Zhenlai, 11 townships, 141 villages.

Codes inside 220821 are synthetic, and so are the village names except 镇南岗子村, which the seed
report names.
"""

from pathlib import Path

from villages.models import Region
from villages.services import LoadResult, read_region_csv, regions_load

DEMO_REGIONS = Path(__file__).resolve().parent / "data" / "zhenlai_regions.csv"
DEMO_COUNTY = "220821000000"


def demo_present() -> bool:
    return Region.objects.filter(code=DEMO_COUNTY).exists()


def build_demo_regions() -> LoadResult:
    return regions_load(rows=read_region_csv(DEMO_REGIONS.read_text(encoding="utf-8")))
