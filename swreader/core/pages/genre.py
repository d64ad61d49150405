"""Pages that are not news articles: journal abstracts, forum chats, headline lists, errors.

Such a page exports no article; the reason names what it is, and its text stays viewable.
Each test looks at the shape of the whole page, never at one word: a news story may well
quote a 关键词 or mention a 404 error.
"""

from __future__ import annotations

import re

from swreader.core.pages.boilerplate import Line

__all__ = ["not_an_article"]

_JOURNAL = re.compile(
    r"^\s*[【\[]?\s*(?:摘\s*要|摘\s*要|关\s*键\s*词|關\s*鍵\s*詞|关键字|關鍵字|中图分类号|中圖分類號|"
    r"文献标识码|文獻標識碼|文章编号|文章編號|收稿日期|基金项目|基金項目|作者简介|作者簡介|"
    r"Abstract|Key\s*words|DOI|引用本文)\s*[】\]]?\s*[:：]?",
    re.IGNORECASE,
)
_ERROR = re.compile(
    r"(?<!\d)404(?![\d\u3400-\u9fff])|Not Found|页面不存在|頁面不存在|页面找不到|您访问的页面|"
    r"您訪問的頁面|找不到网页|找不到網頁|页面已删除|頁面已刪除|自动返回首页|自動返回首頁",
    re.IGNORECASE,
)
_REPLY = re.compile(
    r"发表于|發表於|回复日期|回覆日期|^\d+#$|^\d+\s*[楼樓]$|^(?:楼主|樓主|沙发|沙發|板凳|地板)$"
)
_LIST_DATE = re.compile(r"^\s*\(?\[?(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\]?\)?\s*$")
_TEASER_END = re.compile(
    r"(?:……|\.\.\.|…|\[详细\]|\[詳細\]|【详细】|【詳細】|阅读全文|閱讀全文|详情>>)\s*$"
)
_NUMBERED = re.compile(r"^\s*\d{1,3}[.、．]\s*\S{1,6}\s*$")


def not_an_article(lines: list[str], kinds: list[Line], run: tuple[int, int] | None) -> str | None:
    """Why a page is not a news article, or ``None`` when it may be one.

    Args:
        lines: The page's non-empty lines.
        kinds: The class of each line.
        run: The main prose run found in them, if any.

    Returns:
        ``"journal abstract"``, ``"forum thread"``, ``"list of headlines"``, ``"error page"``
        or ``None``.
    """
    good = [i for i, k in enumerate(kinds) if k is Line.GOOD]
    in_run = [i for i in good if run and run[0] <= i <= run[1]]
    run_chars = sum(len(lines[i]) for i in in_run)
    if sum(1 for line in lines if _JOURNAL.match(line)) >= 3:
        return "journal abstract"
    teasers = sum(1 for line in lines if _TEASER_END.search(line))
    dates = sum(1 for line in lines if _LIST_DATE.match(line))
    numbered = sum(1 for line in lines if _NUMBERED.match(line))
    # Headlines each with a teaser, a date or a number: many entries, no one story.
    entries = max(teasers, dates, numbered)
    if entries >= 4 and 2 * entries >= len(in_run):
        return "list of headlines"
    replies = sum(1 for line in lines if _REPLY.search(line))
    paragraphs = sum(1 for i in in_run if len(lines[i]) >= 40)
    if replies >= 5 and paragraphs < 2:  # posts, none of them a story
        return "forum thread"
    if any(_ERROR.search(line) for line in lines) and run_chars < 120:
        return "error page"
    return None
