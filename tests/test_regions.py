"""Tests for the region gazetteer and locator: cases from the seed pages and invented sentences."""

from __future__ import annotations

import pytest

from swreader.core.pages.gazetteer import load_counties
from swreader.core.pages.regions import (
    Mention,
    Region,
    find_mentions,
    is_region_line,
    load_gazetteer,
    locate,
    starts_with_region,
)
from swreader.core.text.convert import simplify_chars

PREFECTURE_KINDS = {"prefecture_city", "autonomous_prefecture", "league", "prefecture"}


def _cities(province: str) -> dict[str, dict]:
    data = load_gazetteer()
    (prov,) = [p for p in data["provinces"] if p["name"] == province]
    return {c["name"]: c for c in prov["cities"]}


# ---------------------------------------------------------------- gazetteer sanity


def test_gazetteer_has_source_and_version() -> None:
    data = load_gazetteer()
    assert "administrative divisions" in data["_source"]
    assert data["version"]


def test_gazetteer_has_all_34_provinces() -> None:
    provinces = load_gazetteer()["provinces"]
    assert len(provinces) == 34
    kinds = [p["kind"] for p in provinces]
    assert kinds.count("province") == 23
    assert kinds.count("autonomous_region") == 5
    assert kinds.count("municipality") == 4
    assert kinds.count("sar") == 2
    full = {p["name"]: p["full"] for p in provinces}
    assert full["广西"] == "广西壮族自治区"
    assert full["香港"] == "香港特别行政区"
    assert full["重庆"] == "重庆市"
    assert full["台湾"] == "台湾省"


def test_gazetteer_prefecture_level_count() -> None:
    provinces = load_gazetteer()["provinces"]
    count = sum(1 for p in provinces for c in p["cities"] if c["kind"] in PREFECTURE_KINDS)
    assert count >= 330


def test_gazetteer_names_are_unique_within_a_province() -> None:
    for p in load_gazetteer()["provinces"]:
        names = [c["name"] for c in p["cities"]]
        assert len(names) == len(set(names)), p["name"]


def test_new_areas_point_at_known_provinces_and_cities() -> None:
    data = load_gazetteer()
    names = {p["name"] for p in data["provinces"]}
    assert len(data["new_areas"]) == 19
    for area in data["new_areas"]:
        assert area["province"] in names
        if area["city"] != area["name"]:
            assert area["city"] in _cities(area["province"]), area


def test_gazetteer_sample_entries() -> None:
    assert "沙坪坝" in _cities("重庆")
    assert _cities("重庆")["沙坪坝"]["full"] == "沙坪坝区"
    assert "朝阳" in _cities("北京")
    assert "朝阳" in _cities("辽宁")
    assert _cities("吉林")["延边"]["full"] == "延边朝鲜族自治州"
    assert _cities("内蒙古")["锡林郭勒"]["full"] == "锡林郭勒盟"
    assert _cities("西藏")["阿里"]["full"] == "阿里地区"
    assert _cities("河南")["许昌"]["full"] == "许昌市"
    assert "临沧" in _cities("云南")


# ---------------------------------------------------------------- find_mentions


def _read(text: str) -> list[tuple[str, str | None, str]]:
    return [(m.province, m.city, m.surface) for m in find_mentions(text)]


def test_mentions_full_and_short_names() -> None:
    text = "江苏省南京市江北新区盘城街道"
    assert _read(text) == [
        ("江苏", None, "江苏省"),
        ("江苏", "南京", "南京市"),
        ("江苏", "南京", "江北新区"),
    ]
    assert find_mentions("安徽安庆")[1] == Mention(2, 4, "安徽", "安庆", "安庆")


def test_mentions_longest_match_wins() -> None:
    assert _read("马鞍山") == [("安徽", "马鞍山", "马鞍山")]
    assert _read("甘肃兰州新区") == [("甘肃", None, "甘肃"), ("甘肃", "兰州", "兰州新区")]
    assert _read("延边朝鲜族自治州") == [("吉林", "延边", "延边朝鲜族自治州")]
    assert _read("山东东营") == [("山东", None, "山东"), ("山东", "东营", "东营")]


def test_city_implies_province() -> None:
    assert _read("在长春举办") == [("吉林", "长春", "长春")]
    assert _read("共青团晋城市委员会") == [("山西", "晋城", "晋城市")]


def test_province_wins_a_shared_short_name() -> None:
    assert _read("吉林") == [("吉林", None, "吉林")]
    assert _read("吉林市") == [("吉林", "吉林", "吉林市")]
    assert _read("吉林市场监管") == [("吉林", None, "吉林")]
    assert _read("海南州") == [("青海", "海南", "海南州")]


def test_municipal_districts() -> None:
    assert _read("沙坪坝区作为重庆的教育大区") == [
        ("重庆", "沙坪坝", "沙坪坝区"),
        ("重庆", None, "重庆"),
    ]
    assert _read("重庆市沙坪坝区") == [("重庆", None, "重庆市"), ("重庆", "沙坪坝", "沙坪坝区")]


def test_ambiguous_short_name_follows_context() -> None:
    assert _read("北京朝阳") == [("北京", None, "北京"), ("北京", "朝阳", "朝阳")]
    assert _read("辽宁朝阳") == [("辽宁", None, "辽宁"), ("辽宁", "朝阳", "朝阳")]
    assert _read("朝阳市") == [("辽宁", "朝阳", "朝阳市")]
    assert _read("朝阳区") == [("北京", "朝阳", "朝阳区")]
    assert _read("朝阳产业") == []


@pytest.mark.parametrize(
    "text",
    [
        "中山大学",
        "孙中山",
        "长治久安",
        "三明治",
        "大理石",
        "阿里巴巴",
        "阖家安康",
        "世界大同",
        "各位来宾",
        "培育新乡贤",
        "各乡镇江边",
        "黄河南岸",
        "白山黑水",
        "延安路社区",
    ],
)
def test_false_friends_are_not_places(text: str) -> None:
    found = find_mentions(text)
    assert all(m.city is None for m in found), found


def test_greedy_scan_consumes_province_first() -> None:
    assert _read("广东营造") == [("广东", None, "广东")]


def test_qualified_names_match_after_their_province() -> None:
    assert _read("陕西安康") == [("陕西", None, "陕西"), ("陕西", "安康", "安康")]
    assert _read("山西大同") == [("山西", None, "山西"), ("山西", "大同", "大同")]
    assert _read("安康市") == [("陕西", "安康", "安康市")]
    assert _read("西藏阿里") == [("西藏", None, "西藏"), ("西藏", "阿里", "阿里")]
    assert _read("中山市") == [("广东", "中山", "中山市")]
    assert _read("长治市") == [("山西", "长治", "长治市")]


def test_no_mentions_in_plain_text() -> None:
    assert find_mentions("全国儿童康复社会工作交流会暨 MUST 儿童康复训练师培训班") == []
    assert find_mentions("") == []


# ---------------------------------------------------------------- lines


@pytest.mark.parametrize(
    "line", ["江苏南京", "云南省", "浙江", "河南新乡", "重庆沙坪坝", " 江苏 · 南京 ", "雄安新区"]
)
def test_is_region_line_true(line: str) -> None:
    assert is_region_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "江苏省民政厅开展“五社联动”机制创新试点",
        "首批浙江省社会工作领军人才名单",
        "许昌市社会工作行业协会揭牌",
        "(据安庆市民政局)",
        "江苏上海",
        "",
        "社会工作",
    ],
)
def test_is_region_line_false(line: str) -> None:
    assert not is_region_line(line)


@pytest.mark.parametrize(
    "text",
    [
        "山西省首家未成年人审判社会工作中心成立",
        "安徽安庆: 多举措推进社会工作人才队伍建设",
        "许昌市社会工作行业协会成立",
        "雄安新区:持续推进社会工作孵化培育体系建设",
        "北京市2023年推出培育45个医务社工服务项目",
        "“重庆沙坪坝发布",
    ],
)
def test_starts_with_region_true(text: str) -> None:
    assert starts_with_region(text)


@pytest.mark.parametrize(
    "text",
    [
        "全国儿童康复社会工作交流会暨 MUST 儿童康复训练师培训班在长春举办",
        "为社会工作本土化实践开辟新视角 《群团社会工作案例评析》发布",
        "《吉林省民政事业发展“十四五”规划》出炉",
        "中山大学社工系",
        "",
    ],
)
def test_starts_with_region_false(text: str) -> None:
    assert not starts_with_region(text)


# ---------------------------------------------------------------- locate

SHANXI_OPENING = (
    "为进一步完善未成年人司法保护,在加强犯罪预防等方面探究社会支持工作机制,7月11日,"
    "共青团晋城市委员会联合晋城中院、晋城市关怀下一代工作委员会、晋城技师学院等共同举行"
)

CASES = [
    ("江苏南京", "通过社工站+儿童关爱之家+专业社工模式提升未成年人保护服务质量",
     "日前,江苏省南京市江北新区盘城街道社工站举办“关爱儿童 守护未来”世界儿童日主题活动。",
     "江苏", "南京"),
    ("云南省", "临沧市社会工作联合会成立",
     "2021年11月29日,临沧市社会工作联合会成立大会暨第一届一次会员大会在临沧市凤翔街道",
     "云南", "临沧"),
    ("浙江", "公布首批10名社会工作领军人才将资助成立工作室",
     "12月1日,浙江省民政厅发布《关于公布首批浙江省社会工作领军人才的通知》", "浙江", None),
    (None, "许昌市社会工作行业协会成立",
     "为进一步提升全市社会工作行业服务水平,推动社会工作建设再上新台阶,近日,许昌市召开",
     "河南", "许昌"),
    (None, "重庆沙坪坝发布“毕业季红岩社工计划” 创新社会工作人才培养模式",
     "沙坪坝区作为重庆的教育大区,高校林立极具代表性和辨识度。", "重庆", "沙坪坝"),
    (None, "雄安新区:持续推进社会工作孵化培育体系建设",
     "记者从雄安新区公共服务局了解到,截至目前,雄安新区持证社会工作专业人才数量", "河北",
     "雄安新区"),
    (None, "江苏省民政厅开展“五社联动”机制创新试点",
     "近日,江苏省民政厅印发通知,将南京市玄武区等 19 个县(市、区)和南京市秦淮区秦虹街道",
     "江苏", None),
    (None, "全国儿童康复社会工作交流会暨 MUST 儿童康复训练师培训班在长春举办",
     "8月3日,由中国社会工作联合会康复医学工作委员会主办、中国社工(吉林)培训中心承办",
     "吉林", "长春"),
    (None, "安徽安庆: 多举措推进社会工作人才队伍建设",
     "为实现建设新时代人才强市目标,安徽省安庆市民政局完善政策“引才”", "安徽", "安庆"),
    (None, "山东烟台:加快推进社会工作专业人才培养建设",
     "为实施科教强市、人才兴市战略,加快推进社会工作专业人才培养建设,烟台市民政局日前发布",
     "山东", "烟台"),
    (None, "河南新乡:已建成乡镇(街道)社工站118个",
     "乡镇(街道)社工站建设是解决基层民政服务能力不足、打通为民服务“最后一米”的具体举措。",
     "河南", "新乡"),
    (None, "西藏拉萨:全力打造社工服务品牌",
     "自2022年12月拉萨市全面启动“双语”社会工作服务站以来", "西藏", "拉萨"),
    (None, "山西省首家未成年人审判社会工作中心成立", SHANXI_OPENING, "山西", "晋城"),
    (None, "《吉林省民政事业发展“十四五”规划》出炉",
     "11月29日,吉林省政府新闻办召开新闻发布会,对《吉林省民政事业发展“十四五”规划》",
     "吉林", None),
    (None, "为社会工作本土化实践开辟新视角 《群团社会工作案例评析》发布",
     "近日,由浙江省委党校主办的红色社工与中国社会工作发展研讨会暨《群团社会工作案例评析》"
     "新书发布会在杭州举行。", "浙江", "杭州"),
]  # fmt: skip


@pytest.mark.parametrize(("kicker", "title", "opening", "province", "city"), CASES)
def test_locate_seed_articles(
    kicker: str | None, title: str, opening: str, province: str, city: str | None
) -> None:
    assert locate(kicker, title, opening) == Region(province, city)


def test_locate_organ_in_level_without_city_stops() -> None:
    # the body names cities, but the title is about the provincial department
    opening = "近日,江苏省民政厅印发通知,将南京市玄武区等 19 个县(市、区)"
    assert locate(None, "江苏省民政厅开展“五社联动”机制创新试点", opening).city is None


def test_locate_province_only_title_takes_city_from_opening() -> None:
    assert locate(None, "山西省首家未成年人审判社会工作中心成立", SHANXI_OPENING) == Region(
        "山西", "晋城"
    )
    # a city of another province in the opening does not count
    assert locate(None, "山西省首家社工中心成立", "在郑州举行") == Region("山西", None)


def test_locate_municipality_without_district() -> None:
    title = "北京市2023年推出培育45个医务社工服务项目"
    assert locate(None, title, "记者从北京市卫健委获悉") == Region("北京", None)
    assert locate(None, title, "近日,北京朝阳医务社工") == Region("北京", "朝阳")


def test_locate_new_area_in_host_city() -> None:
    assert locate(None, "江苏省南京市江北新区盘城街道社工站", "") == Region("江苏", "南京")
    assert locate(None, "上海浦东新区社工", "") == Region("上海", "浦东新区")


def test_locate_kicker_takes_precedence() -> None:
    assert locate("云南省", "临沧市社会工作联合会成立", "") == Region("云南", "临沧")
    assert locate("浙江", "杭州市社工", "") == Region("浙江", "杭州")
    assert locate("江苏南京", "苏州市社工", "") == Region("江苏", "南京")


def test_locate_nothing_named() -> None:
    assert locate(None, "社会工作人才队伍建设", "近日召开会议") == Region(None, None)
    assert locate("", "", "") == Region(None, None)


# ---------------------------------------------------------------- counties


def test_counties_cover_the_mainland_and_point_at_gazetteer_cities() -> None:
    counties = load_counties()["counties"]
    assert len(counties) > 2700
    for c in counties:
        if c["city"] is None:  # province-administered: a gazetteer city of its own
            assert c["name"] in _cities(c["province"]), c
        else:
            assert c["city"] in _cities(c["province"]), c
    by_name = {c["name"]: c for c in counties}
    assert by_name["长乐"]["full"] == "长乐区"
    assert by_name["和平"]["ambiguous"]
    assert by_name["大埔"]["ambiguous"]  # also a district of 香港


@pytest.mark.parametrize(
    ("text", "province", "city"),
    [
        ("徐闻县开展困境儿童走访", "广东", "湛江"),
        ("青神县社工站揭牌", "四川", "眉山"),
        ("崇州市养老服务", "四川", "成都"),
        ("阳春市民政局", "广东", "阳江"),
        ("长乐区社区治理", "福建", "福州"),
        ("宜秀区乡镇社工站", "安徽", "安庆"),
        ("峨边彝族自治县", "四川", "乐山"),
        ("管城区社工", "河南", "郑州"),  # 管城回族区, written without the people's name
        ("都江堰举办培训", "四川", "成都"),  # three characters: alone is enough
    ],
)
def test_county_resolves_to_its_prefecture(text: str, province: str, city: str) -> None:
    first = find_mentions(text)[0]
    assert (first.province, first.city) == (province, city)
    assert first.county


def test_two_character_county_needs_a_suffix_or_its_prefecture() -> None:
    assert _read("湛江徐闻") == [("广东", "湛江", "湛江"), ("广东", "湛江", "徐闻")]
    assert _read("眉山青神") == [("四川", "眉山", "眉山"), ("四川", "眉山", "青神")]
    assert _read("长乐市") == [("福建", "福州", "长乐")]  # the district's old name
    assert _read("去徐闻看看") == []


@pytest.mark.parametrize(
    "text",
    [
        "长乐未央",
        "阳春三月好时节",
        "过上安定的生活",
        "安定区域秩序",
        "阳春市场",
        "为人大方的志愿者",
        "光明社区开展活动",
        "红旗村党支部",
        "永和豆浆",
        "世界和平",
        "新华社区",
        "城关镇卫生院",
        "中心城区",
        "老城区改造",
        "省、市和县三级",
        "市民政局会同市委组织部",
        "沙县小吃",
        "香格里拉酒店",
    ],
)
def test_county_false_friends_are_not_places(text: str) -> None:
    assert [m for m in find_mentions(text) if m.county] == []


def test_ambiguous_county_needs_its_full_name_or_prefecture() -> None:
    assert _read("沈阳和平") == [("辽宁", "沈阳", "沈阳"), ("辽宁", "沈阳", "和平")]
    assert _read("南京市鼓楼区") == [("江苏", "南京", "南京市"), ("江苏", "南京", "鼓楼区")]
    assert _read("福州鼓楼") == [("福建", "福州", "福州"), ("福建", "福州", "鼓楼")]
    # four 鼓楼区: alone it names nothing, after 江苏 only the province (南京 or 徐州)
    assert _read("鼓楼区") == []
    assert _read("江苏鼓楼区") == [("江苏", None, "江苏"), ("江苏", None, "鼓楼区")]
    # a gazetteer reading wins when nothing says otherwise, an earlier mention when one does
    assert _read("和平区") == [("天津", "和平", "和平区")]
    assert _read("长春朝阳区") == [("吉林", "长春", "长春"), ("吉林", "长春", "朝阳区")]
    assert _read("沈阳市民政局指导和平区") == [
        ("辽宁", "沈阳", "沈阳市"),
        ("辽宁", "沈阳", "和平区"),
    ]


def test_locate_county_in_title_or_opening() -> None:
    assert locate(None, "徐闻县:社工进村入户", "") == Region("广东", "湛江")
    assert locate(None, "困境儿童关爱行动启动", "近日,青神县民政局召开推进会。") == Region(
        "四川", "眉山"
    )


# ---------------------------------------------------------------- 台湾 and 香港


@pytest.mark.parametrize(
    ("text", "province", "city"),
    [
        ("台北市长者服务", "台湾", "台北"),
        ("新北社工", "台湾", "新北"),
        ("桃园的社福团体", "台湾", "桃园"),
        ("台中举办研讨会", "台湾", "台中"),
        ("高雄", "台湾", "高雄"),
        ("嘉义县", "台湾", "嘉义"),
        ("金门县", "台湾", "金门"),
        ("卫福部公布数据", "台湾", None),
        ("香港", "香港", None),
        ("九龙城区长者中心", "香港", None),
        ("沙田区", "香港", None),
        ("深水埗的劏房户", "香港", None),
        ("大埔区", "香港", None),
        ("社署资助", "香港", None),
        ("香港社联", "香港", None),
    ],
)
def test_taiwan_and_hong_kong(text: str, province: str, city: str | None) -> None:
    first = find_mentions(text)[0]
    assert (first.province, first.city) == (province, city)


def test_traditional_names_arrive_simplified() -> None:
    assert find_mentions(simplify_chars("臺中市"))[0].city == "台中"
    assert find_mentions(simplify_chars("桃園市"))[0].city == "桃园"
    assert find_mentions(simplify_chars("九龍"))[0].province == "香港"


@pytest.mark.parametrize(
    "text",
    [
        "站在舞台中央",
        "平台北侧",
        "出台南方",
        "桃园结义",
        "九龙江口",
        "金门大桥",
        "推动五社联动",
        "中社联",
    ],
)
def test_taiwan_and_hong_kong_false_friends(text: str) -> None:
    assert [m for m in find_mentions(text) if m.province in ("台湾", "香港")] == []


def test_mainland_homonyms_keep_their_prefecture() -> None:
    assert _read("大埔县")[0][:2] == ("广东", "梅州")
    assert _read("梅州大埔")[1][:2] == ("广东", "梅州")
    assert _read("新北区")[0][:2] == ("江苏", "常州")


# ---------------------------------------------------------------- the whole body


def test_locate_keeps_precedence_over_the_body() -> None:
    body = "近日,湛江市民政局召开会议。\n" + "社会工作" * 80 + "\n会上,长沙市代表介绍经验。"
    assert locate(None, "社工站建设推进会召开", body) == Region("广东", "湛江")
    assert locate(None, "成都市社工站建设推进会召开", body) == Region("四川", "成都")


def test_locate_searches_the_body_when_the_top_names_nowhere() -> None:
    body = "社会工作" * 80 + "\n此次活动在桂林市七星区举行。"
    assert locate(None, "社工站建设推进会召开", body) == Region("广西", "桂林")
    # a province-only title still takes a city from deep in the body
    assert locate(None, "广西首家社工学院成立", body) == Region("广西", "桂林")


def test_opening_does_not_join_paragraphs() -> None:
    # 江 ends one paragraph and 苏 starts the next: no 江苏 across the break
    assert locate(None, "社工风采", "他来自长江\n苏醒的春天") == Region(None, None)


# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    "body",
    [
        "本报北京3月5日电 民政部近日印发通知,在苏州市开展试点。",
        "新华社杭州电 记者从苏州市民政局获悉,全市社工站已全覆盖。",
        "中新网广州1月3日电 (记者 王明) 苏州市民政局近日发布通知。",
        "人民网北京电 苏州市召开社会工作推进会。",
        "【本报讯】(记者 李华 通讯员 张强) 苏州市日前举办社工节。",
    ],
)
def test_dateline_place_does_not_count(body: str) -> None:
    assert locate(None, "社会工作推进会召开", body) == Region("江苏", "苏州")


def test_dateline_is_the_last_resort_except_beijing() -> None:
    assert locate(None, "社工服务再升级", "新华社杭州电 记者从有关部门获悉…") == Region(
        "浙江", "杭州"
    )
    assert locate(None, "社工服务再升级", "新华社北京3月5日电 民政部日前印发…") == Region(
        None, None
    )
    assert locate(None, "社工服务再升级", "本报讯(记者 王丽) 近日,…") == Region(None, None)


# ---------------------------------------------------------------- lists of cities


def test_a_list_of_cities_names_only_the_province() -> None:
    opening = "近日,南京、苏州、无锡、常州四地社工机构联合举办交流活动。"
    assert locate(None, "跨市社工交流活动举行", opening) == Region("江苏", None)
    assert locate("江苏", "跨市社工交流活动举行", opening) == Region("江苏", None)
    assert locate(None, "江苏省社工交流活动举行", "南京市、苏州市社工参加") == Region("江苏", None)


def test_the_title_city_wins_over_a_list_below() -> None:
    opening = "近日,南京、苏州、无锡、常州四地社工机构联合举办交流活动。"
    assert locate(None, "无锡:跨市社工交流活动举行", opening) == Region("江苏", "无锡")
    # one city and its county are not a list
    assert locate(None, "社工交流", "湛江、徐闻两级民政部门") == Region("广东", "湛江")
    # a city that merely comes first, not in a list, is the main one
    assert locate(None, "社工交流", "南京市民政局邀请苏州、无锡同行") == Region("江苏", "南京")


def test_two_character_county_names_count_where_a_word_starts() -> None:
    assert (
        locate(None, "眉县社工走进果园", "").province,
        locate(None, "眉县社工走进果园", "").city,
    ) == (
        "陕西",
        "宝鸡",
    )
    in_sentence = locate(None, "社工服务走进乡村", "记者在冠县看到，社工正在入户走访。")
    assert (in_sentence.province, in_sentence.city) == ("山东", "聊城")
    # 和 + 县 is a conjunction and a word, not 和县 (马鞍山).
    assert locate(None, "街道和县里的社工一起入户", "").province is None


def test_a_province_with_all_its_cities_has_no_city() -> None:
    found = locate(
        None, "浙江11个设区市全部建成社工总站", "随着衢州市总站揭牌，全省11个设区市实现全覆盖。"
    )
    assert (found.province, found.city) == ("浙江", None)
