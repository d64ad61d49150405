"""Page structure on the real seeds: articles, headers, rejoined paragraphs, captions."""

from __future__ import annotations

import pytest

from swreader.core.pages.corpus import Corpus
from swreader.core.pages.model import Article, Kind
from swreader.core.pages.parse import parse_page

from .conftest import by_title


def test_article_counts_per_page(corpus: Corpus) -> None:
    assert [len(p.articles) for p in corpus.pages] == [4, 3, 4, 3, 1]
    assert corpus.problems == []


def test_titles_in_page_order(corpus: Corpus) -> None:
    titles = [a.title for a in corpus.pages[1].articles]
    assert titles == [
        "许昌市社会工作行业协会成立",
        "山西省首家未成年人审判社会工作中心成立",
        "重庆沙坪坝发布“毕业季红岩社工计划” 创新社会工作人才培养模式",
    ]


def test_a_caption_is_never_an_article(articles: list[Article]) -> None:
    titles = {a.title for a in articles}
    assert "许昌市社会工作行业协会揭牌" not in titles
    assert not any("图片来源" in t for t in titles)
    xuchang = by_title(articles, "许昌市社会工作行业协会成立")
    assert [p.text for p in xuchang.paragraphs if p.kind is Kind.CAPTION] == [
        "许昌市社会工作行业协会揭牌"
    ]


def test_orphan_caption_at_page_end_goes_to_the_article_it_shows(articles: list[Article]) -> None:
    anqing = by_title(articles, "安徽安庆")
    captions = [p.text for p in anqing.paragraphs if p.kind is Kind.CAPTION]
    assert len(captions) == 1 and captions[0].startswith("安庆市宜秀区乡镇(街道)社工站建设")


def test_paragraph_broken_across_columns_is_rejoined(articles: list[Article]) -> None:
    jilin = by_title(articles, "全国儿童康复社会工作交流会")
    texts = [p.text for p in jilin.paragraphs]
    assert any("加强儿童督导员、儿童主任队伍能力建设" in t for t in texts)
    assert any("“星希望”与中国社工(吉林)培训中心" in t for t in texts)
    assert not any(t.endswith("加强") for t in texts)
    shanxi = by_title(articles, "山西省首家")
    assert any("将通过多部门联动" in p.text for p in shanxi.paragraphs)


def test_break_with_caption_between_halves_is_rejoined(articles: list[Article]) -> None:
    yantai = by_title(articles, "山东烟台")
    texts = [p.text for p in yantai.paragraphs]
    joined = next(
        i for i, t in enumerate(texts) if "社会工作人才在管理期内,每人每月享受市政府津贴800元" in t
    )
    caption = yantai.paragraphs[joined + 1]
    assert caption.kind is Kind.CAPTION
    assert caption.text.startswith("烟台市红苹果社会工作服务中心联合社区开展关爱老年人活动")
    assert "图片来源" in caption.text


@pytest.mark.parametrize(
    ("fragment", "kicker"),
    [
        ("通过社工站+儿童关爱之家", "江苏南京"),
        ("临沧市社会工作联合会成立", "云南省"),
        ("公布首批10名", "浙江"),
    ],
)
def test_region_kickers(articles: list[Article], fragment: str, kicker: str) -> None:
    assert by_title(articles, fragment).kicker == kicker


def test_kicker_is_never_a_title(articles: list[Article]) -> None:
    assert not {"江苏南京", "云南省", "浙江"} & {a.title for a in articles}


def test_subtitle(articles: list[Article]) -> None:
    plan = by_title(articles, "《吉林省民政事业发展“十四五”规划》出炉")
    assert plan.subtitle == "持证社工 2 万以上,每个城市社区至少 3 名社工"
    assert plan.paragraphs[0].text.startswith("11月29日")


def test_bylines(articles: list[Article]) -> None:
    bylined = {a.title[:6]: a.byline for a in articles if a.byline}
    assert bylined == {"江苏省民政厅": "皮磊", "许昌市社会工": "皮磊", "山东烟台:加": "皮磊"}
    assert all(not p.text.startswith("■") for a in articles for p in a.paragraphs)


def test_sources_split_and_undecorated(articles: list[Article]) -> None:
    plan = by_title(articles, "十四五”规划》出炉")
    assert plan.sources == ["吉林省民政厅网站", "中国社会工作微信公众号"]
    assert by_title(articles, "山西省首家").sources == ["山西日报"]
    assert by_title(articles, "雄安新區").sources == ["河北新聞網"]
    assert by_title(articles, "公布首批10名").sources == ["浙江省民政厅"]


def test_own_reporting_has_no_sources(articles: list[Article]) -> None:
    own = {a.title for a in articles if a.own_reporting}
    assert own == {
        "江苏省民政厅开展“五社联动”机制创新试点",
        "许昌市社会工作行业协会成立",
        "山东烟台:加快推进社会工作专业人才培养建设",
    }


def test_source_line_never_stays_in_the_body(articles: list[Article]) -> None:
    for article in articles:
        for para in article.paragraphs:
            assert not para.text.lstrip("- ").startswith(("(据", "(據")), para.text


def test_subheads(articles: list[Article]) -> None:
    lhasa = by_title(articles, "西藏拉萨")
    assert [p.text for p in lhasa.paragraphs if p.kind is Kind.SUBHEAD] == [
        "夯实基础 构建社工站服务体系",
        "规范服务 完善社工站运营服务模式",
        "多方联动 聚力社工站建设与功能发挥",
        "精准服务 打造“社工”特色服务品牌",
    ]


def test_list_items(articles: list[Article]) -> None:
    zhejiang = by_title(articles, "公布首批10名")
    items = [p.text for p in zhejiang.paragraphs if p.kind is Kind.LIST]
    assert len(items) == 10
    assert items[0] == "1.张露娜 玉环市楚门天宜社会工作服务社总干事"
    assert items[9].startswith("10.赵静 浙江东方职业技术学院")


def test_web_page_chrome_is_removed_and_date_kept(articles: list[Article]) -> None:
    xiongan = by_title(articles, "雄安新區")
    assert xiongan.date == "2023-10-24"
    assert xiongan.title == "雄安新區:持續推進社會工作孵化培育體系建設"
    everything = "".join(p.text for p in xiongan.paragraphs)
    for chrome in ("版面導航", "第06版", "上一期", "版面目錄", "新聞內容", "首頁"):
        assert chrome not in everything
    assert xiongan.paragraphs[0].kind is Kind.CAPTION


def test_title_listed_without_body_is_not_an_article(articles: list[Article]) -> None:
    assert not any("醫務社工服務項目" in a.title for a in articles)


def test_pinyin_annotations_stripped_real_parentheses_kept(articles: list[Article]) -> None:
    xiongan = by_title(articles, "雄安新區")
    text = "".join(p.text for p in xiongan.paragraphs)
    assert "(yè)" not in text and "(guī)" not in text
    assert "鄉鎮(街道)社工站35個" in text
    assert "(以下簡稱“公共服務局”)" in text


def test_damaged_runs_are_kept_and_reported(articles: list[Article]) -> None:
    xiongan = by_title(articles, "雄安新區")
    assert len(xiongan.damaged) >= 6
    for d in xiongan.damaged:
        run = xiongan.paragraphs[d.paragraph].text[d.start : d.end]
        assert run and ("?" in run or any(0xE000 <= ord(c) <= 0xF8FF for c in run))
    pua = "".join(c for p in xiongan.paragraphs for c in p.text if 0xE000 <= ord(c) <= 0xF8FF)
    assert len(pua) == 9  # every private-use code point of the page is still there


def test_simplified_pages_have_no_damage(articles: list[Article]) -> None:
    assert all(not a.damaged for a in articles if a.page[:3] != "004")


def test_ids_are_stable(corpus: Corpus) -> None:
    page = corpus.pages[0]
    assert page.text is not None
    again = parse_page(page.text, page=page.stem)
    assert [a.id for a in again] == [a.id for a in page.articles]
    assert len({a.id for a in corpus.articles}) == 15


def test_a_page_with_only_chrome_has_no_articles() -> None:
    chrome = "首頁 | 版面導航 | 標題導航\n   第01版:頭版\n   第02版:新聞\n北京市推出醫務社工項目\n\n版面目錄\n\n第01版\n頭版\n"
    assert parse_page(chrome, page="x") == []


def test_a_real_question_mark_is_not_damage(articles: list[Article]) -> None:
    shapingba = by_title(articles, "重庆沙坪坝")
    para = next(p for p in shapingba.paragraphs if "模式?赵祺表示" in p.text)
    assert para.text.count("?") == 1
    assert shapingba.damaged == []
