"""Content or boilerplate: each line of a web page judged by its own features, then in context.

The approach of jusText and trafilatura, for lines of text instead of HTML blocks. A line is

* ``GOOD`` — prose: long enough, with sentence punctuation, mostly Han characters;
* ``SHORT`` — too short to judge alone: a headline, a subhead, a caption, a menu entry;
* ``META`` — a date, source or reporter line (:mod:`swreader.core.pages.meta`);
* ``BAD`` — boilerplate by its shape: menus joined by ``|`` or ``>``, copyright and ICP
  lines, phone/mail/QQ contacts, share buttons, counters, editor lines, forum noise
  (``本帖最后由…编辑``, lines of random ASCII against copying), audio players, 404 pages.

No single word decides a long line: a sentence that mentions 微信 is still prose. The
context step (:func:`main_run`) finds the stretch with the most prose, short lines between
prose lines riding along, so that menus and footers fall away on either side.
"""

from __future__ import annotations

import re
from enum import Enum

from swreader.core.pages.meta import read_meta

__all__ = [
    "END_MARKERS",
    "Line",
    "classify",
    "cut_glued_chrome",
    "is_end_marker",
    "main_run",
    "strip_noise",
]


class Line(Enum):
    """What a line of a page is."""

    GOOD = "good"
    SHORT = "short"
    META = "meta"
    BAD = "bad"


_HAN = re.compile(r"[\u3400-\u9fff]")
_SENTENCE = re.compile(r"[。！？!?；;]")
_COMMA = re.compile(r"[，,、]")
_SEPARATORS = re.compile(r"\s*(?:[|｜│¦]|>|＞|›|»|→|/(?=\S))\s*")
# Words that make a short line chrome. Long lines are judged by shape, not by these.
_MENU = re.compile(
    r"^(?:首页|首頁|主页|登录|登入|注册|註冊|退出|搜索|搜尋|检索|EN|English|ENGLISH|电脑版|電腦版|"
    r"手机版|手機版|触屏版|打开App|打開App|打开APP|下载App|下載App|客户端|客戶端|无障碍|無障礙|"
    r"繁体|繁體|简体|簡體|繁體中文|简体中文|设为首页|設為首頁|加入收藏|网站地图|網站地圖|"
    r"联系我们|聯繫我們|聯絡我們|关于我们|關於我們|广告服务|廣告服務|返回顶部|返回頂部|回到顶部|"
    r"放大|缩小|縮小|默认|默認|返回目录|返回目錄|本版上一篇|本版下一篇|上一版|下一版|"
    r"返回首页|返回首頁|回到網頁上方|回到网页上方|回到頁首|返回頁首|返回页首|打印|列印|关闭|關閉|收藏|举报|舉報|评论|評論|上一篇|下一篇|上一页|下一页|"
    r"更多|更多>>|更多>|查看更多|点击查看|展开全文|阅读全文|閱讀全文|[图圖]片|视频|視頻|影音|"
    r"扫一扫|掃一掃|二维码|二維碼|微信|微博|QQ空间|QQ空間|分享|分享到|订阅|訂閱|热门|熱門|"
    r"排行|推荐|推薦|广告|廣告|AD)$",
    re.IGNORECASE,
)
_CHROME_PHRASES = re.compile(
    r"版权所有|版權所有|Copyright|©|\(c\)|ICP|备案号|備案號|公网安备|公網安備|互联网新闻信息服务许可|"
    r"违法和不良信息|違法和不良信息|举报电话|舉報電話|举报邮箱|技术支持|技術支持|主办单位|主辦單位|"
    r"承办单位|承辦單位|未经.{0,6}授权|未經.{0,6}授權|禁止转载|禁止轉載|转载请注明|轉載請註明|"
    r"本站部分|本网部分|本網部分|不承担任何|不承擔任何|免责声明|免責聲明|【[声聲]明】|"
    r"分享到|扫一扫|掃一掃|扫描二维码|掃描二維碼|手机看新闻|長按識別|长按识别|"
    r"您的位置|你的位置|当前位置|當前位置|所在位置|您现在的位置|"
    r"责任编辑|責任編輯|责编|責編|审编|審編|初审|初審|终审|終審|审核|審核|校对|校對|编审|編審|"
    r"字号|字號|字体|字體|【打印】|【关闭】|【關閉】|打印本页|关闭窗口|關閉窗口|"
    r"本帖最后由|本帖最後由|只看该作者|只看該作者|使用道具|发表于|發表於|查看完整版本|"
    r"Powered by|Discuz|页:\s*\[|頁:\s*\[|回复\s*\d|\d+\s*楼|\d+\s*樓|"
    r"聽新聞|听新闻|0:00\s*/\s*0:00|收聽|朗读|朗讀|"
    r"页面不存在|頁面不存在|页面找不到|您访问的页面|您訪問的頁面|找不到网页|"
    r"相关新闻|相關新聞|相关阅读|相關閱讀|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|猜你喜欢|猜你喜歡|"
    r"热点新闻|熱點新聞|精彩推荐|精彩推薦|热门推荐|熱門推薦|更多新闻|更多新聞|最新新闻|最新新聞",
    re.IGNORECASE,
)
# Boilerplate whatever else the line holds: copyright, licences, disclaimers, forum stamps.
_STRONG = re.compile(
    r"版权所有|版權所有|Copyright|©|ICP[备備证證]|公网安备|公網安備|互联网新闻信息服务许可|"
    r"违法和不良信息|違法和不良信息|本站部分|本网部分|本網部分|不承担任何|不承擔任何|免责声明|"
    r"免責聲明|转载请注明|轉載請註明|禁止转载|禁止轉載|未经.{0,6}授权.{0,6}转载|"
    r"本帖最后由|本帖最後由|Powered by|只看该作者|只看該作者|使用道具|查看完整版本|"
    r"(?<!\d)404(?![\d\u3400-\u9fff])|Not Found|0:00\s*/\s*0:00|"
    r"最佳[浏瀏][览覽]效果|建[议議]使用.{0,20}[浏瀏][览覽]器|請繼續往下閱讀|请继续往下阅读|"
    r"标题摘要|標題摘要|内容页标题|內容頁標題|_fororder_|图片默认标题|圖片默認標題|"
    r"熱門搜尋|热门搜索|相关搜索|相關搜尋",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"(?:电话|電話|热线|熱線|传真|傳真|邮箱|郵箱|E-?mail|QQ|微信号|微信號|地址|邮编|郵編)\s*[:：]",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://|www\.|\.(?:jpg|jpeg|png|gif|webp)\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"^\[?(?:图片|圖片|image|img|视频|視頻|video|广告|廣告)\]?", re.IGNORECASE
)
# Forums insert runs of 1-3 random ASCII characters between spaces against copying.
_NOISE_RUN = re.compile(r"(?:(?<=\s)|^)(?:[!-~]{1,3}\s+){3,}[!-~]{0,3}(?=\s|$)")
_WATERMARK = re.compile(r"[(（][^()（）]{0,20}(?:https?://|www\.)[^()（）]{1,60}[)）]")
#: Markers after which the rest of a page is footer: related links, editors, sharing.
END_MARKERS = re.compile(
    r"^(?:[·•]\s*)?(?:相关新闻|相關新聞|相关阅读|相關閱讀|相关链接|相關鏈接|推荐阅读|推薦閱讀|"
    r"延伸阅读|延伸閱讀|猜你喜欢|猜你喜歡|热点新闻|熱點新聞|精彩推荐|精彩推薦|热门推荐|"
    r"熱門推薦|更多新闻|更多新聞|上一篇|下一篇|分享到|责任编辑|責任編輯|责编|責編|"
    r"【打印】|【关闭】|打印本页|返回顶部|回复\s|使用道具|网友评论|網友評論|发表评论|發表評論)"
)

_GOOD_MIN = 16
_SHORT_MAX = 40


def strip_noise(line: str) -> str:
    """Remove what sites stamp into prose: random ASCII runs that forums insert against
    copying (``* g; i& S9 ?, T``) and watermarks with the site's address (``（某网 www.x.com）``).
    """
    if line.isascii():
        return "" if _is_ascii_noise(line) else line
    if "www." in line or "http" in line:
        line = _WATERMARK.sub("", line)
    if _NOISE_RUN.search(line):
        line = _NOISE_RUN.sub("", line).strip()
    return line


def _is_ascii_noise(text: str) -> bool:
    """A line of random ASCII: no Han, many short tokens of punctuation and letters."""
    if _HAN.search(text):
        return False
    tokens = text.split()
    punct = sum(1 for c in text if not c.isalnum() and not c.isspace())
    return len(tokens) >= 3 and punct >= 2 and sum(len(t) for t in tokens) <= 4 * len(tokens)


def _is_menu(text: str) -> bool:
    """Items joined by bars or arrows (``首页 > 民生 > 正文``, ``万州|黔江|涪陵``)."""
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) < 3:
        return False
    return sum(len(p) for p in parts) / len(parts) <= 8 and not _SENTENCE.search(text)


def classify(line: str) -> Line:
    """Judge one line of a page on its own features."""
    text = line.strip()
    n = len(text)
    if not n:
        return Line.SHORT
    han = len(_HAN.findall(text))
    if _is_ascii_noise(text) or (han == 0 and n <= 12):
        return Line.BAD
    strong = _STRONG.search(text)
    if strong is not None:
        # A disclaimer glued onto a paragraph: the paragraph decides (the web reader cuts
        # the disclaimer off); a line that opens with one is boilerplate.
        head = text[: strong.start()]
        if strong.start() < 20 or not _SENTENCE.search(head):
            return Line.BAD
        return classify(head)
    sentences = len(_SENTENCE.findall(text))
    prose = han >= _GOOD_MIN and (sentences > 0 or len(_COMMA.findall(text)) >= 2)
    if not prose:
        meta = read_meta(text)
        if meta is not None and (meta.date or meta.sources or meta.byline):
            return Line.META
    if _is_menu(text) or _PLACEHOLDER.match(text) or (_URL.search(text) and n - han > n // 3):
        return Line.BAD
    # A long sentence that only mentions a chrome word (分享, 审核) is prose.
    soft = _CHROME_PHRASES.search(text) is not None or _CONTACT.search(text) is not None
    if soft and not (prose and n >= 40):
        return Line.BAD
    if all(_MENU.match(t.strip("【】[]<>《》 ·•")) for t in text.split()):
        return Line.BAD
    return Line.GOOD if prose else Line.SHORT


def cut_glued_chrome(text: str) -> str:
    """Cut a disclaimer or copyright a page glued onto the end of a sentence."""
    match = _STRONG.search(text)
    if match is None or match.start() < 6:
        return text
    end = max(text.rfind(mark, 0, match.start()) for mark in "。！？!?")
    return text[: end + 1] if end > 0 else text


def is_end_marker(line: str) -> bool:
    """True for a line after which a page holds only footer (related links, editors…)."""
    return END_MARKERS.match(line.strip()) is not None


def main_run(kinds: list[Line], sizes: list[int]) -> tuple[int, int] | None:
    """The stretch of lines holding the article: most prose, least boilerplate.

    A maximum-sum run (as boilerpipe and trafilatura weigh text density): prose counts
    its length, short lines cost a little (headlines and subheads sit between paragraphs),
    boilerplate costs a lot, so a run never crosses a menu or a footer to pick up more.

    Args:
        kinds: The class of each line.
        sizes: The length of each line.

    Returns:
        ``(first, last)`` line indexes, inclusive, or ``None`` when there is no prose.
    """
    best: tuple[int, int, int] | None = None
    total, start = 0, 0
    for i, (kind, size) in enumerate(zip(kinds, sizes, strict=True)):
        gain = {Line.GOOD: size, Line.SHORT: -6, Line.META: -2, Line.BAD: -60}[kind]
        if total <= 0:
            total, start = 0, i
        total += gain
        if kind is Line.GOOD and (best is None or total > best[0]):
            best = (total, start, i)
    if best is None:
        return None
    _, first, last = best
    while kinds[first] is not Line.GOOD:
        first += 1
    return first, last
