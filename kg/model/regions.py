"""A small bundled table of administrative regions (GB/T 2260 codes) and department slugs.

Only what the samples and their neighbours need; extend it as documents from new places arrive.
Bureau keys (:func:`kg.model.iris.bureau_key`) use it so that a bureau keeps its IRI across years.
"""

from __future__ import annotations

#: Region name (as printed, without province prefix) → six-digit GB/T 2260 code. When several names
#: occur in a text the most specific level wins, then the longest name (米易县 over 易县).
REGION_CODES: dict[str, str] = {
    "河北省": "130000",
    "石家庄市": "130100",
    "秦皇岛市": "130300",
    "保定市": "130600",
    "曲阳县": "130634",
    "邢台市": "130500",
    "巨鹿县": "130529",
    "临城县": "130522",
    "内丘县": "130523",
    "柏乡县": "130524",
    "隆尧县": "130525",
    "宁晋县": "130528",
    "新河县": "130530",
    "广宗县": "130531",
    "平乡县": "130532",
    "威县": "130533",
    "清河县": "130534",
    "临西县": "130535",
    "易县": "130633",
    "顺平县": "130636",
    "博野县": "130637",
    "湖北省": "420000",
    "郧西县": "420322",
    "竹溪县": "420324",
    "房县": "420325",
    "十堰市": "420300",
    "竹山县": "420323",
    "四川省": "510000",
    "攀枝花市": "510400",
    "米易县": "510421",
    "盐边县": "510422",
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
