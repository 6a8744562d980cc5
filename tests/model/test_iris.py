from hypothesis import given
from hypothesis import strategies as st

from kg.model.iris import Iris, bureau_key, document_stem, project_key, project_keys, table_key


def test_bureau_key_uses_region_code_and_department():
    assert bureau_key("巨鹿县医疗保障局", "巨鹿县") == "130529-medical-insurance"
    assert bureau_key("曲阳县医疗保障局", "河北省曲阳县") == "130634-medical-insurance"
    assert bureau_key("秦皇岛市医疗保障局", "秦皇岛市") == "130300-medical-insurance"


def test_longest_county_name_wins():
    assert bureau_key("米易县医疗保障局", "米易县") == "510421-medical-insurance"
    assert bureau_key("易县医疗保障局", "河北省保定市易县") == "130633-medical-insurance"


def test_bureau_key_is_stable_across_spellings_and_years():
    assert bureau_key("巨鹿县 医疗保障局", None) == bureau_key("巨鹿县医疗保障局", "河北省邢台市巨鹿县")


def test_region_from_project_code_prefix():
    key = bureau_key("本局", None, ["13052924P005840118404"])
    assert key.startswith("130529-")


def test_unlisted_county_code_from_several_project_codes():
    codes = ["13058124P005840118404", "13058124P00584011842B"]
    assert bureau_key("某某县医疗保障局", "某某县", codes) == "130581-medical-insurance"
    assert bureau_key("某某县医疗保障局", "某某县", codes[:1]).startswith("n-")  # one code is not enough
    assert bureau_key("某某县医疗保障局", "某某县", ["99000124P0058401", "99000124P0058402"]).startswith("n-")


def test_documents_without_a_bureau_never_share_one():
    assert bureau_key(None, None, (), "a/x.txt") == "unknown-x"
    assert bureau_key(" ", "某某县", (), "y.md") == "unknown-y"


def test_unknown_region_falls_back_to_name_hash():
    key = bureau_key("某某县某某局", "某某县")
    assert key.startswith("n-") and key == bureau_key("某某县某某局", None)
    assert key != bureau_key("某某县另一局", None)


def test_project_key_prefers_safe_codes():
    assert project_key("13052924P005840118404", 3) == "13052924P005840118404"
    assert project_key("000-9999-JSN-2J4N", 1) == "000-9999-JSN-2J4N"
    assert project_key("12", 4) == "4"
    assert project_key(None, 7) == "7"


def test_iri_layout():
    iris = Iris("https://example.org/kg")
    budget = iris.budget("130529-medical-insurance", 2024)
    assert budget == "https://example.org/kg/budget/130529-medical-insurance/2024"
    assert iris.indicator(iris.project(budget, "5"), 2) == budget + "/project/5/indicator/2"
    assert iris.function_code("2101501") == "https://example.org/kg/code/function/2101501"
    assert iris.document("data/samples/000_01bf5e7cfe21490d.txt") == "https://example.org/kg/document/000_01bf5e7cfe21490d"
    assert iris.line(budget, "表一", "210", "total") == f"{budget}/line/{table_key('表一')}/210/total"
    assert document_stem("x.y.md") == "x.y"


@given(st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=8), st.integers(0, 99).map(str)), max_size=30))
def test_project_keys_in_a_budget_never_collide(codes):
    codes = [*codes, "1-2", "1", "1"]
    keys = project_keys(codes)
    assert len(set(keys)) == len(keys)
    assert all("/" not in k and " " not in k for k in keys)


def test_previous_budget_links_years_of_one_bureau():
    from kg.extract.facts import DocumentFacts
    from kg.model.mapping import budget_sequence_quads

    docs = [DocumentFacts(f"{y}.txt", bureau="巨鹿县医疗保障局", region="巨鹿县", year=y) for y in (2024, 2022, 2023)]
    docs.append(DocumentFacts("other.txt", bureau="竹山县医疗保障局", region="竹山县", year=2022))
    iris = Iris()
    links = {(s.rsplit("/", 1)[1], o.rsplit("/", 1)[1], g.rsplit("/", 1)[1]) for s, _, o, g in budget_sequence_quads(docs, iris)}
    assert links == {("2023", "2022", "2023"), ("2024", "2023", "2024")}
