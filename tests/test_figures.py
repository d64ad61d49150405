"""Key-figure extraction on real sentences from the seed pages."""

from __future__ import annotations

import re
import time
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from swreader.core.text.figures import KINDS, FigureMatch, find_figures

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def pairs(text: str) -> list[tuple[str, str]]:
    """The figures of ``text`` as ``(text, kind)`` pairs."""
    return [(f.text, f.kind) for f in find_figures(text)]


def texts(text: str) -> list[str]:
    """The figure texts of ``text``."""
    return [f.text for f in find_figures(text)]


def check_spans(text: str, figures: list[FigureMatch]) -> None:
    """Offsets are exact, in bounds, sorted and non-overlapping; kinds are known."""
    previous_end = 0
    for figure in figures:
        assert 0 <= previous_end <= figure.start < figure.end <= len(text)
        assert text[figure.start : figure.end] == figure.text
        assert figure.kind in KINDS
        previous_end = figure.end


def seed_paragraphs(prefix: str) -> list[str]:
    """Paragraphs (split on blank lines) of the seed whose name starts with ``prefix``."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = PINYIN.sub("", path.read_text(encoding="utf-8"))
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


# --- whole pages ---------------------------------------------------------------------------

EXPECTED = {
    "000": ["2438 人", "70%", "3000 元", "300 余个", "7000 余人次", "32 场", "19 个", "两年"],
    "001": [
        *("106个", "500多人", "100余人", "12家", "23家", "80余人", "60余万元", "约3900余人次"),
        *("220名", "710人", "四批次", "10余位", "三个", "2020年"),
    ],
    "002": [
        *("1.3万人", "2万人以上", "10855人", "353个", "1200余个", "60%", "50个以上"),
        *("2 万以上", "2021年11月29日", "12月1日", "10名"),
    ],
    "003": [
        *("118个", "189人", "50818人", "800元", "4万元", "近万人次", "50余万元", "0-6岁"),
        *("2023年8月1日", "8月底", "89场次", "130例", "708户", "4年"),
    ],
    "004": [
        *("約500平方米", "近700萬元", "六家", "十余個", "550人", "24家", "35個", "45個"),
        *("2023年10月24日", "2020年5月"),
    ],
}

COUNTS = {"000": 19, "001": 21, "002": 26, "003": 39, "004": 20}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_seed_paragraph(prefix: str) -> None:
    found: list[str] = []
    for paragraph in seed_paragraphs(prefix):
        figures = find_figures(paragraph)
        check_spans(paragraph, figures)
        found += [f.text for f in figures]
    missing = [t for t in EXPECTED[prefix] if t not in found]
    assert not missing, (missing, found)
    assert len(found) == COUNTS[prefix], found


def test_seed_kinds_cover_the_pages() -> None:
    kinds = {
        f.kind for prefix in EXPECTED for p in seed_paragraphs(prefix) for f in find_figures(p)
    }
    assert kinds == {"count", "money", "percent", "area", "date", "duration", "age", "number"}


# --- kinds --------------------------------------------------------------------------------


def test_counts_money_percent_in_one_sentence() -> None:
    text = "2023 年,安庆市社会工作者职业水平考试报名人数为 2438 人,同比增幅 70%。"
    assert pairs(text) == [("2023 年", "date"), ("2438 人", "count"), ("70%", "percent")]


def test_money_per_person_and_per_month() -> None:
    text = "签订三年以上劳动合同的,按照 3000 元/人的标准发放一次性入职奖励。"
    assert pairs(text) == [("三年以上", "duration"), ("3000 元", "money")]
    assert pairs("才在管理期内,每人每月享受市政府津贴800元,每个年度集中发放一次。") == [
        ("800元", "money")
    ]
    assert pairs("市级对各区每个社工站补助经费不少于4万元。") == [("4万元", "money")]


def test_area() -> None:
    text = "孵化基地現有使用面積約500平方米,為每個入駐社工機構提供了免費使用的辦公場地。"
    assert pairs(text) == [("約500平方米", "area")]


def test_dates_are_dates_not_counts() -> None:
    text = "全市持证社工从2020年的100余人发展到当前的500多人"
    assert pairs(text) == [("2020年", "date"), ("100余人", "count"), ("500多人", "count")]
    text = "试点周期为两年(2023 年 7 月至 2025 年 7 月)。"
    assert pairs(text) == [
        ("两年", "duration"),
        ("2023 年 7 月", "date"),
        ("2025 年 7 月", "date"),
    ]
    text = "并于 2023 年 11 月中旬前择优选报本地区典型案例,此后每半年报送一次工作进展情况"
    assert pairs(text) == [("2023 年 11 月中旬", "date")]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("8月3日,由中国社会工作联合会康复医学工作委员会主办", "8月3日"),
        ("2021年11月29日,临沧市社会工作联合会成立大会", "2021年11月29日"),
        ("12月1日,浙江省民政厅发布", "12月1日"),
        ("5月,嘎玛贡桑街道与金珠西路街道双语社工站联合组织的", "5月"),
        ("预计今年8月底前即可提前完成", "8月底"),
        ("自2022年12月拉萨市全面启动", "2022年12月"),
        ("自2023年8月1日起施行,有效期至", "2023年8月1日"),
        ("“今年 3 月《党和国家机构改革方案》要求组建中央社会工作部,社会工作", "3 月"),
        ("二〇二三年八月一日", "二〇二三年八月一日"),
        ("2021—2025年", "2021—2025年"),
    ],
)
def test_date_forms(text: str, date: str) -> None:
    assert (date, "date") in pairs(text)


def test_durations_and_ages() -> None:
    text = "社会工作人才每2年选拔1次,按照数量服从质量的原则,每次不超过50人,管理期限为4年。"
    assert pairs(text) == [("1次", "count"), ("50人", "count"), ("4年", "duration")]
    text = "联动爱阅基金会的“阅读计划”为试点社区0-6岁困境儿童群体提供更好的成长教育环境。"
    assert pairs(text) == [("0-6岁", "age")]
    assert pairs("服务期3个月,60岁以上老人") == [("3个月", "duration"), ("60岁以上", "age")]


def test_number_without_unit() -> None:
    assert pairs("持证社工 2 万以上,每个城市社区至少 3 名社工") == [
        ("2 万以上", "number"),
        ("3 名", "count"),
    ]


def test_percent_and_ratio_forms() -> None:
    assert pairs("力争2025年达到60%;超过八成居民;百分之六十;增长5.2个百分点;增长2倍") == [
        ("2025年", "date"),
        ("60%", "percent"),
        ("超过八成", "percent"),
        ("百分之六十", "percent"),
        ("5.2个百分点", "percent"),
        ("2倍", "ratio"),
    ]
    assert texts("占比６０％") == ["６０％"]


# --- numerals and approximations ----------------------------------------------------------


def test_arabic_chinese_and_mixed_numerals() -> None:
    text = "取得国家社会工作者职业资格证书的达到2万人以上(其中社区工作人员达到1.3万人)。"
    assert texts(text) == ["2万人以上", "1.3万人"]
    text = "雄安新區先後啟動十餘個社會工作服務項目,與雄澤社工有著一樣需求的機構還有六家。"
    assert texts(text) == ["十餘個", "六家"]
    assert texts("共六章二十一条;三十余家;两万余名;一万人;1,200人") == [
        "六章",
        "二十一条",
        "三十余家",
        "两万余名",
        "一万人",
        "1,200人",
    ]
    assert texts("开展项目招募四批次,参与学生800余人次。") == ["四批次", "800余人次"]


def test_approximations_are_part_of_the_figure() -> None:
    assert texts("累计服务社区群众约3900余人次。") == ["约3900余人次"]
    assert texts("覆盖近万人次,引入各类社会慈善资源总计50余万元。") == ["近万人次", "50余万元"]
    assert texts("已投入资金60余万元") == ["60余万元"]
    assert texts("逾百家;上千名志愿者;超2万人;大约300人;将近500人;10余位") == [
        "逾百家",
        "上千名",
        "超2万人",
        "大约300人",
        "将近500人",
        "10余位",
    ]
    # 达, 共, 累计 are not part of the figure.
    assert texts("专业社工机构达353个,共计80余人参会,累计培养社工专业人才710人") == [
        "353个",
        "80余人",
        "710人",
    ]


def test_prefix_words_that_are_not_approximations() -> None:
    assert texts("每次不超过50人") == ["50人"]
    assert texts("签约3家机构,附近3个社区") == ["3家", "3个"]
    assert texts("近日,近年来") == []


def test_spaces_between_number_and_unit() -> None:
    text = "举办慈善社工、养老服务、社会救助、儿童福利、殡葬服务等培训 32 场,共培训 7000 余人次。"
    assert texts(text) == ["32 场", "7000 余人次"]
    assert texts("提供社会工作岗位 300 余个。") == ["300 余个"]
    assert texts("将南京市玄武区等 19 个县(市、区)") == ["19 个"]
    assert texts("5 000人") == []  # never starts in the middle of a number


# --- traditional script -------------------------------------------------------------------


def test_seed_004_traditional_sentence() -> None:
    (paragraph,) = [p for p in seed_paragraphs("004") if "持證社會工作" in p]
    assert pairs(paragraph) == [
        ("30人", "count"),
        ("550人", "count"),
        ("1家", "count"),
        ("24家", "count"),
        ("近700萬元", "money"),
        ("16個", "count"),
        ("1個", "count"),
        ("35個", "count"),
    ]


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk", "s2twp"])
def test_traditional_conversions_find_the_same_figures(config: str) -> None:
    converter = opencc.OpenCC(config)
    compared = 0
    for prefix in ("000", "001", "002", "003"):
        for paragraph in seed_paragraphs(prefix):
            converted = converter.convert(paragraph)
            if len(converted) != len(paragraph):
                continue
            plain = [(f.kind, f.start, f.end) for f in find_figures(paragraph)]
            assert [(f.kind, f.start, f.end) for f in find_figures(converted)] == plain
            compared += 1
    assert compared > 50


def test_traditional_units() -> None:
    assert texts("300餘個;50餘萬元;近萬人次;89場次;708戶;25項;3間;6歲;超過60%;１２０億元") == [
        "300餘個",
        "50餘萬元",
        "近萬人次",
        "89場次",
        "708戶",
        "25項",
        "3間",
        "6歲",
        "超過60%",
        "１２０億元",
    ]
    assert texts("「一老一小」『五社聯動』「1357」") == []


# --- false friends ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "打通为民服务的“最后一米”",
        "拉萨市民政局扎实开展“推动五社联动,关爱一老一小”主题活动",
        "联动社区、爱心志愿者与困境儿童进行“一对一”结对帮扶",
        "积极为困难人群提供“零距离”服务",
        "教授李伟当选许昌市社会工作行业协会首任会长",
        "压实“一把手”抓“第一资源”责任",
        "为全市广大未成年人提供专业的心理咨询等功能于一体的一站式帮扶",
        "推行“一门受理、协同办理”。",
        "落实“一项目一团队”工作机制",
        "江苏省民政厅开展“五社联动”机制创新试点",
        "社区志愿者、社会慈善资源“五社”联动机制",
        "通过实施学历提升、持证率提升和实务能力提升“三项工程”",
        "孵化基地初步探索了“1357”服务模式",
        "明確提出了“12335”的社工站運營模式",
        "积极探索符合拉萨特点的“1+5+N+X”服务模式",
        "积极探索未成年人保护“1+N”的诉源治理模式",
        "《吉林省民政事业发展“十四五”规划》出炉",
        "“十三五”时期,全省推进",
        "十三五时期",
        "发布《烟台市“双百计划”行业拔尖人才社会工作人才专项选拔管理办法》",
        "全力打造“养育、医疗、康复、教育、社工”于一体的专业化服务体系",
        "重点从社会工作一线、直接从事社会工作服务的人员中选拔",
        "培育一批志愿服务品牌项目",
        "开办社会工作者职业水平考前培训班一期",
        "落实社工证一次性奖补政策",
        "探索一批本土化的品牌项目,完善一套系统化的服务体系,培养一支高水平的社工队伍",
        "最终实现“打造一个高标准的孵化基地、培育一批高质量的社工机构”的目标",
        "打造一个高标准的孵化基地",
        "此后每半年报送一次工作进展情况",
        "是较早一批成立的社会工作服务机构之一",
        "许昌市民政局按照省民政厅提出的“一年起步、两年铺开、三年建成”发展思路",
        "《关于深化“五社联动”机制提升城乡社区共建共治共享水平的指导意见》(苏民发〔2022〕10 号)",
        "(苏民基〔2023〕5 号)等文件要求",
        "根据《浙江省社会工作领军人才选拔办法》(浙民慈[2021]31号)",
        "许昌市民政局《关于印发2023年全市乡镇(街道)社会工作服务站项目工作方案的通知》等文件",
        "- 1.张露娜",
        " - 10.赵静",
        "星期二上一期下一期",
        "第01版:頭版",
        "临沧市社会工作联合会成立大会暨第一届一次会员大会",
        "北京大学第六医院党委副书记",
        "拉萨市民政局引导第三方加强自身建设",
        "推动实现每千名老年人、每百张养老机构床位均",
        "MUST 行为引导技术儿童康复训练师培训班",
        "万人空巷,千家万户,成千上万,三番五次,三位一体,两位数,一两个,唯一一家,五一期间",
        "“作為一家剛成立不久的社工機構,我們根本不知道下一步要如何發展",
        "對於組織未來的發展規劃有了一個清晰的認識",
        "增强脱贫信心;12345热线;G20峰会;5G网络;COVID-19",
    ],
)
def test_false_friends(text: str) -> None:
    assert find_figures(text) == []


def test_chinese_numeral_counts_that_are_figures() -> None:
    text = "表决通过了《许昌市社会工作行业协会章程(草案)》等三个制度文件。"
    assert pairs(text) == [("三个", "count")]
    assert pairs("完善社工機構孵化培育、社工人才培養、社工站提質增效三個功能") == [
        ("三個", "count")
    ]
    # A named programme outside quotes is read as a count; inside quotes it is a name.
    assert texts("实施三项工程") == ["三项"]
    assert texts("统一三个标准") == ["三个"]


def test_quoted_speech_keeps_its_figures() -> None:
    text = "“去年我们培训了300人,今年还要翻一番。”"
    assert texts(text) == ["300人"]


# --- offsets, order, robustness -----------------------------------------------------------


def test_offsets_match_text() -> None:
    text = "目前,已建立社会工作实习实践基地22个,累计参与学生3200余人次。"
    figures = find_figures(text)
    assert figures == [
        FigureMatch("22个", "count", 16, 19),
        FigureMatch("3200余人次", "count", 26, 33),
    ]
    check_spans(text, figures)


def test_offsets_survive_surrounding_pinyin_removal() -> None:
    raw = "吸引公益資(zī)金近700萬(wàn)元"
    text = PINYIN.sub("", raw)
    (figure,) = find_figures(text)
    assert text[figure.start : figure.end] == figure.text == "近700萬元"


@given(st.text(max_size=300))
def test_never_raises_and_spans_are_valid(text: str) -> None:
    check_spans(text, find_figures(text))


_ALPHABET = "0123456789 ,.-%一二两三四五六七八九十百千万亿余多近约超过年月日个人元家“”《》第每"


@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_spans_valid_on_figure_like_text(text: str) -> None:
    check_spans(text, find_figures(text))


def test_long_paragraph_is_fast() -> None:
    paragraph = "".join(seed_paragraphs("003"))[:10_000]
    paragraph += "今年共培训300余人次," * ((10_000 - len(paragraph)) // 10 + 1)
    paragraph = paragraph[:10_000]
    find_figures(paragraph)
    started = time.perf_counter()
    for _ in range(5):
        figures = find_figures(paragraph)
    elapsed = (time.perf_counter() - started) / 5
    check_spans(paragraph, figures)
    assert elapsed < 0.05, elapsed


# --- forms met on real pages --------------------------------------------------------------


def test_numerals_read_digit_by_digit() -> None:
    assert pairs("本期培训共有一三六人报名,其中社区干部四十二人。") == [
        ("一三六人", "count"),
        ("四十二人", "count"),
    ]
    # Two digits after 一 are still the end of a word (统一, 唯一), not a number.
    assert texts("统一三个流程,唯一一家机构") == ["三个"]


@pytest.mark.parametrize(
    "year", ["二○二二年", "二〇二二年", "二零二二年", "一九九八年", "二O二二年"]
)
def test_chinese_years_are_dates(year: str) -> None:
    assert pairs(f"该中心成立于{year},至今已走过多年。") == [(year, "date")]


def test_chinese_decimals_and_fractions_of_a_hundred() -> None:
    text = "居民满意度达到百分之八十點一,去年为百分之八十点一;覆盖率约百分之三十。"
    assert pairs(text) == [
        ("百分之八十點一", "percent"),
        ("百分之八十点一", "percent"),
        ("约百分之三十", "percent"),
    ]
    assert pairs("志愿者占比超过百分之十五點五,流失率不到千分之五,差错率万分之三") == [
        ("超过百分之十五點五", "percent"),
        ("千分之五", "percent"),
        ("万分之三", "percent"),
    ]
    assert pairs("全年筹集善款八十六點五二萬元,惠及一点三万人") == [
        ("八十六點五二萬元", "money"),
        ("一点三万人", "count"),
    ]
    # Like 86.52, a decimal with no unit is not a figure; clock readings stay out too.
    assert texts("综合得分八十六點五二,活动于下午三点五十分开始,一点一滴,三点一线") == []


def test_measure_words_for_pairs_cases_schools() -> None:
    text = "本年度组织30对夫妻参加婚姻辅导,办理民生实事120件,跟进个案200宗,走进12所学校。"
    assert pairs(text) == [
        ("30对", "count"),
        ("120件", "count"),
        ("200宗", "count"),
        ("12所", "count"),
    ]
    assert texts("探访300户,举办8场,服务50次,链接5家,改造6间,建成3座,组建4支,分2批,实施9项") == [
        *("300户", "8场", "50次", "5家", "6间", "3座", "4支", "2批", "9项"),
    ]
    assert texts("招募两组家庭,发放口罩2000只,捐赠物资") == ["两组", "2000只"]


def test_measure_words_in_traditional_script() -> None:
    assert texts("30對夫婦;120個;8場;9項;3萬人;2億元;3間;5隻;200宗;6組;八十點五萬元") == [
        *("30對", "120個", "8場", "9項", "3萬人", "2億元", "3間", "5隻", "200宗", "6組"),
        "八十點五萬元",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("10个社区对服务对象开展回访", ["10个"]),  # 对 as a preposition follows the unit
        ("与5对接单位签约", []),  # 对接 is a word
        ("举办三对三篮球赛", []),  # 三对三 is a format, not three pairs
        ("帮扶两对夫妻", ["两对"]),
    ],
)
def test_dui_is_a_pair_only_before_a_noun(text: str, found: list[str]) -> None:
    assert texts(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "咨询电话:0571-88886666,010-12345678",
        "服务热线 400-800-1234 人工服务时间为工作日",
        "联系人手机 138 0013 8000 个人信息严格保密",
        "手机13800138000 人工接听",
        "总机 010-12345678 人事科转",
        "京ICP备12345678号-2 浙公网安备33010602011771号",
        "邮编 310000 地址:某市人民路",
        "QQ:123456789 QQ群 987654321 人满即止",
        "原文链接 https://www.example.org/art/2023/8/1/art_12_345.html",
        "参见www.example.gov.cn/col/2022/3/15/index.html",
        "(民发〔2023〕12号)",
        "发布时间 15:46:02 浏览次数",
        "上午9:30 至 11:30 人员签到",
        "15:46 人民日报客户端",
        "更新于 09：05 人气 3120",
        "邮编：310000 人民路",
    ],
)
def test_page_chrome_yields_no_figures(text: str) -> None:
    assert find_figures(text) == []


def test_dates_beside_chrome_are_still_dates() -> None:
    assert pairs("发布时间:2023-08-01 15:46:02 来源:市民政局") == [("2023-08-01", "date")]
    assert pairs("热线 0571-88886666,2023年共接听1200余次") == [
        ("2023年", "date"),
        ("1200余次", "count"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "关爱“一老一小”",
        "一老一小是重点",
        "开展一对一帮扶",
        "扎根社会工作一线",
        "第一时间赶到现场",
        "做事不能三心二意",
        "打造一站式服务平台",
        "推进医养康养一体化",
        "社工和居民像一家人",
        "没有十全十美的方案",
        "千方百计解决困难",
        "一门心思为群众办事",
        "坚持两手抓",
        "为实现“两个一百年”奋斗目标,两个一百年",
        "他十年如一日扎根社区",
        "三人行必有我师",
        "获得五个一工程奖",
    ],
)
def test_idioms_stay_rejected(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize("text", ["自113年度起編列經費", "自112年4月起受理", "114年起全面實施"])
def test_roc_years_are_dates_not_durations(text: str) -> None:
    kinds = {f.text: f.kind for f in find_figures(text)}
    year = next(k for k in kinds if k.endswith("年"))
    assert kinds[year] == "date"


def test_long_service_stays_a_duration() -> None:
    assert [(f.text, f.kind) for f in find_figures("她已服務18年")] == [("18年", "duration")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年受理求助47起", [("47起", "count")]),
        ("两起纠纷已调解", [("两起", "count")]),
        ("大家一起来", []),
        ("做了36块展板", [("36块", "count")]),
    ],
)
def test_cases_and_pieces_are_counted(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.text, f.kind) for f in find_figures(text)] == expected
