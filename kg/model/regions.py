"""A small bundled table of administrative regions (GB/T 2260 codes) and department slugs.

Only what the samples and their neighbours need; extend it as documents from new places arrive.
Bureau keys (:func:`kg.model.iris.bureau_key`) use it so that a bureau keeps its IRI across years.
"""

from __future__ import annotations

#: Region name (as printed, without province prefix) → six-digit GB/T 2260 code.
REGION_CODES: dict[str, str] = {
    "河北省": "130000",
    "石家庄市": "130100",
    "秦皇岛市": "130300",
    "保定市": "130600",
    "曲阳县": "130634",
    "邢台市": "130500",
    "巨鹿县": "130529",
    "湖北省": "420000",
    "十堰市": "420300",
    "竹山县": "420323",
    "四川省": "510000",
    "攀枝花市": "510400",
    "米易县": "510421",
}

#: Department name (the bureau's name without its region) → readable slug.
DEPARTMENT_SLUGS: dict[str, str] = {
    "医疗保障局": "medical-insurance",
    "医疗保障事务中心": "medical-insurance-service-centre",
    "财政局": "finance",
    "卫生健康局": "health",
    "人力资源和社会保障局": "human-resources-social-security",
    "民政局": "civil-affairs",
    "教育局": "education",
}
