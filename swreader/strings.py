"""Every string the interface shows, in 简体, 繁體 and English: the one catalogue.

The interface language (``ui``) is ``zh-Hans``, ``zh-Hant`` or ``en``; it decides the
chrome — key labels, headers, the status bar, notices, prompts, help. The articles
themselves follow the *script* (原文/简体/繁體/台灣/香港), never the interface language.

Keys of key bindings are the bindings' ids (``main.search``), so ``commands.py`` labels
each binding from here; ``<id>.long`` is the longer wording the help screen and the command
palette use where the footer's short label would not explain itself. Values may hold
``str.format`` fields (``{n}``); :func:`text` fills them.

Data labels compared in code (``facets.OWN_REPORTING`` = 本报, ``facets.NO_REGION``) stay
as the core defines them; only what is displayed for them is translated here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from swreader.core.pages import facets
from swreader.core.pages.facets import Filter
from swreader.core.text.convert import LABELS, convert

#: The interface languages, in the order the palette offers them.
UI_LANGUAGES: tuple[str, ...] = ("zh-Hans", "zh-Hant", "en")
DEFAULT_UI = "zh-Hans"

#: ``key: (简体, 繁體, English)``.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # -- key bindings (ids from commands.py) -------------------------------------------
    "app.quit": ("退出", "退出", "Quit"),
    "app.quit.long": (
        "退出（记住阅读位置）",
        "退出（記住閱讀位置）",
        "Quit (where you were is remembered)",
    ),
    "app.help": ("帮助", "說明", "Help"),
    "app.palette": ("命令", "命令", "Commands"),
    "main.script": ("{target}", "{target}", "{target}"),
    "main.script.long": ("简繁切换", "簡繁切換", "Simplified ⇄ traditional"),
    "main.choose_script": ("字形", "字形", "Script"),
    "main.choose_script.long": (
        "选择字形（五种之一）",
        "選擇字形（五種之一）",
        "Choose one of the five scripts",
    ),
    "main.sidebar": ("侧栏", "側欄", "Sidebar"),
    "main.figures": ("数字", "數字", "Figures"),
    "main.next_figure": ("下一数字", "下一數字", "Next figure"),
    "main.prev_figure": ("上一数字", "上一數字", "Prev figure"),
    "main.bookmark": ("书签", "書籤", "Bookmark"),
    "main.page": ("原页", "原頁", "Page text"),
    "main.search": ("搜索", "搜尋", "Search"),
    "main.next_match": ("下一处", "下一處", "Next match"),
    "main.prev_match": ("上一处", "上一處", "Prev match"),
    "main.leave_search": ("结束搜索", "結束搜尋", "End search"),
    "main.figures_view": ("数字表", "數字表", "Figure table"),
    "main.figures_view.long": ("所选文章的数字表", "所選文章的數字表", "Figures of the selection"),
    "figview.close": ("关闭", "關閉", "Close"),
    "figview.filter": ("筛选", "篩選", "Filter"),
    "figview.sort": ("排序", "排序", "Sort"),
    "figview.reverse": ("倒序", "倒序", "Reverse"),
    "figview.chart": ("图表", "圖表", "Chart"),
    "figview.script": ("{target}", "{target}", "{target}"),
    "figview.script.long": ("简繁切换", "簡繁切換", "Simplified ⇄ traditional"),
    "figview.to_table": ("到表格", "到表格", "To the table"),
    "chart.close": ("关闭", "關閉", "Close"),
    "reader.down": ("向下", "向下", "Down"),
    "reader.up": ("向上", "向上", "Up"),
    "reader.page_down": ("下一屏", "下一屏", "Page down"),
    "reader.page_up": ("上一屏", "上一屏", "Page up"),
    "reader.top": ("顶部", "頂部", "Top"),
    "reader.bottom": ("底部", "底部", "Bottom"),
    "list.down": ("向下", "向下", "Down"),
    "list.up": ("向上", "向上", "Up"),
    "list.page_down": ("下一屏", "下一屏", "Page down"),
    "list.page_up": ("上一屏", "上一屏", "Page up"),
    "list.first": ("第一篇", "第一篇", "First"),
    "list.last": ("最后一篇", "最後一篇", "Last"),
    "list.open": ("打开", "打開", "Open"),
    "sidebar.down": ("向下", "向下", "Down"),
    "sidebar.up": ("向上", "向上", "Up"),
    "figures.down": ("向下", "向下", "Down"),
    "figures.up": ("向上", "向上", "Up"),
    "search.close": ("关闭", "關閉", "Close"),
    "search.down": ("下一结果", "下一結果", "Next result"),
    "search.up": ("上一结果", "上一結果", "Previous result"),
    "search.within": ("仅当前分类", "僅目前分類", "Within selection"),
    "page.close": ("关闭", "關閉", "Close"),
    "help.close": ("关闭", "關閉", "Close"),
    "help.panes": ("下一个 / 上一个窗格", "下一個 / 上一個窗格", "Next / previous pane"),
    "help.palette": ("命令面板", "命令面板", "Command palette"),
    # -- scripts (the label of each, as the interface names it) ---------------------------
    "script.original": ("原文", "原文", "Original"),
    "script.simplified": ("简体", "简体", "Simplified"),
    "script.traditional": ("繁體", "繁體", "Traditional"),
    "script.taiwan": ("台灣", "台灣", "Taiwan"),
    "script.hongkong": ("香港", "香港", "Hong Kong"),
    # -- interface languages (each named in itself, as language menus do) -----------------
    "ui.zh-Hans": ("简体中文", "简体中文", "简体中文"),
    "ui.zh-Hant": ("繁體中文", "繁體中文", "繁體中文"),
    "ui.en": ("English", "English", "English"),
    # -- the main screen -------------------------------------------------------------------
    "sidebar.title": ("分类", "分類", "Browse"),
    "list.title": ("文章", "文章", "Articles"),
    "sidebar.all": ("全部文章", "全部文章", "All articles"),
    "sidebar.sources": ("来源", "來源", "Sources"),
    "sidebar.regions": ("地区", "地區", "Regions"),
    "sidebar.pages": ("页面", "頁面", "Pages"),
    "sidebar.bookmarks": ("书签", "書籤", "Bookmarks"),
    "label.own": ("本报", "本報", "Own reporting"),
    "label.no_region": ("未注明地区", "未註明地區", "No region given"),
    "filter.all": ("全部", "全部", "All"),
    "filter.source": ("来源: {value}", "來源: {value}", "Source: {value}"),
    "filter.province": ("地区: {value}", "地區: {value}", "Region: {value}"),
    "filter.city": (
        "地区: {province} › {value}",
        "地區: {province} › {value}",
        "Region: {province} › {value}",
    ),
    "filter.page": ("页面: {value}", "頁面: {value}", "Page: {value}"),
    "filter.bookmarks": ("书签", "書籤", "Bookmarks"),
    "status.count": ("{n} 篇", "{n} 篇", "{n} article{s}"),
    "status.figures": ("数字 {n}", "數字 {n}", "figures: {n}"),
    "status.match": (
        "匹配 {i}/{n} “{query}”",
        "匹配 {i}/{n} 「{query}」",
        "match {i}/{n} “{query}”",
    ),
    "reader.empty": ("选择一篇文章开始阅读", "選擇一篇文章開始閱讀", "Choose an article to read"),
    "reader.byline": ("记者 {value}", "記者 {value}", "By {value}"),
    "reader.source": ("来源 {value}", "來源 {value}", "Source: {value}"),
    "figures.title": ("数字 {n}", "數字 {n}", "Figures {n}"),
    "kind.count": ("数量", "數量", "count"),
    "kind.money": ("金额", "金額", "money"),
    "kind.percent": ("比例", "比例", "percent"),
    "kind.area": ("面积", "面積", "area"),
    "kind.date": ("日期", "日期", "date"),
    "kind.duration": ("时长", "時長", "duration"),
    "kind.age": ("年龄", "年齡", "age"),
    "kind.ratio": ("倍数", "倍數", "ratio"),
    "kind.measure": ("度量", "度量", "measure"),
    "kind.number": ("数值", "數值", "number"),
    # -- the figures view and its chart ------------------------------------------------------
    "figcol.text": ("数字", "數字", "Figure"),
    "figcol.value": ("数值", "數值", "Value"),
    "figcol.kind": ("类别", "類別", "Kind"),
    "figcol.subject": ("对象", "對象", "Subject"),
    "figcol.region": ("地区", "地區", "Region"),
    "figcol.date": ("日期", "日期", "Date"),
    "figcol.title": ("文章", "文章", "Article"),
    "figview.placeholder": (
        "筛选，如：社工站 类别:数量 地区:河南",
        "篩選，如：社工站 類別:數量 地區:河南",
        "Filter: subject:…  kind:count  region:…  (either script)",
    ),
    "figview.count": ("数字 {shown}/{n}", "數字 {shown}/{n}", "{shown} of {n} figure{s}"),
    "figview.sorted": ("按{column}排序 {arrow}", "依{column}排序 {arrow}", "by {column} {arrow}"),
    "figview.unsorted": ("原文顺序", "原文順序", "in reading order"),
    "figview.loading": ("正在读取数字…", "正在讀取數字…", "Reading the figures…"),
    "chart.title": ("{subject}（{unit}）", "{subject}（{unit}）", "{subject} ({unit})"),
    "chart.bars": (
        "各地最新数值 {shown}/{n}",
        "各地最新數值 {shown}/{n}",
        "Latest per region {shown}/{n}",
    ),
    "chart.line": ("随时间的变化", "隨時間的變化", "Over time"),
    "chart.no_dates": ("日期不足，无法画线", "日期不足，無法畫線", "Too few dates for a line"),
    "chart.nothing": (
        "“{subject}”无数值可画",
        "「{subject}」無數值可畫",
        "Nothing to draw: {subject}",
    ),
    "chart.no_subject": ("此数字没有对象", "此數字沒有對象", "This figure has no subject"),
    # -- notices ---------------------------------------------------------------------------
    "notice.skipped": ("跳过了一个页面", "略過了一個頁面", "Skipped a page"),
    "notice.state": ("阅读状态", "閱讀狀態", "State"),
    "notice.library": ("文库", "文庫", "Library"),
    "notice.open_first": ("请先打开一篇文章", "請先打開一篇文章", "Open an article first"),
    "notice.bookmarked": ("已加书签", "已加書籤", "Bookmarked"),
    "notice.unbookmarked": ("已取消书签", "已取消書籤", "Bookmark removed"),
    "notice.no_search": (
        "还没有搜索：按 / 搜索",
        "還沒有搜尋：按 / 搜尋",
        "No search yet: press / to search",
    ),
    # -- search box and page screen --------------------------------------------------------
    "search.placeholder": (
        "搜索：汉字、漢字或拼音 …",
        "搜尋：漢字、汉字或拼音 …",
        "Search: Chinese in either script, or pinyin …",
    ),
    "search.within_label": (
        "仅在当前分类中 ({label})",
        "僅在目前分類中 ({label})",
        "Within selection ({label})",
    ),
    "search.count": ("{n} 条结果", "{n} 筆結果", "{n} result{s}"),
    "search.recent": ("最近搜索", "最近搜尋", "Recent searches"),
    "search.type": ("输入以搜索", "輸入以搜尋", "Type to search"),
    "search.waiting": (
        "索引中…就绪即搜索",
        "索引中…就緒即搜尋",
        "Indexing… searching as soon as it is ready",
    ),
    "page.gone": (
        "（页面原文已无法读取）",
        "（頁面原文已無法讀取）",
        "(the page's text is no longer available)",
    ),
    # -- command palette -------------------------------------------------------------------
    "palette.placeholder": ("搜索命令…", "搜尋命令…", "Search for commands…"),
    "palette.key": (
        "{description}（按键 {key}）",
        "{description}（按鍵 {key}）",
        "{description} (key: {key})",
    ),
    "palette.script": ("字形：{label}", "字形：{label}", "Script: {label}"),
    "palette.script.help": (
        "以{label}显示文章",
        "以{label}顯示文章",
        "Show the articles in {label}",
    ),
    "palette.choose_script": ("选择字形…", "選擇字形…", "Choose a script…"),
    "palette.ui": ("界面语言：{name}", "介面語言：{name}", "Interface language: {name}"),
    "palette.ui.help": (
        "界面文字用{name}显示",
        "介面文字以{name}顯示",
        "Show the interface in {name}",
    ),
    "palette.open": ("打开这篇文章", "打開這篇文章", "Open this article"),
    "palette.open.short": ("打开", "打開", "Open"),
    # Textual's own commands, keyed by their English titles.
    "textual.Theme": ("主题", "主題", "Theme"),
    "textual.Theme.help": ("更换配色主题", "更換配色主題", "Change the current theme"),
    "textual.Quit": ("退出", "退出", "Quit"),
    "textual.Quit.help": ("立即退出", "立即退出", "Quit the application as soon as possible"),
    "textual.Keys": ("按键", "按鍵", "Keys"),
    "textual.Keys.help": (
        "显示或隐藏按键面板",
        "顯示或隱藏按鍵面板",
        "Show or hide the keys panel",
    ),
    "textual.Maximize": ("最大化", "最大化", "Maximize"),
    "textual.Maximize.help": ("放大当前窗格", "放大目前窗格", "Maximize the focused widget"),
    "textual.Minimize": ("还原", "還原", "Minimize"),
    "textual.Minimize.help": ("还原窗格大小", "還原窗格大小", "Restore the widget to normal size"),
    "textual.Screenshot": ("截图", "截圖", "Screenshot"),
    "textual.Screenshot.help": (
        "把当前画面存为 SVG",
        "把目前畫面存為 SVG",
        "Save an SVG 'screenshot' of the current screen",
    ),
    # -- help screen -----------------------------------------------------------------------
    "help.keys": ("按键", "按鍵", "Keys"),
    "help.key": ("按键", "按鍵", "key"),
    "help.action": ("功能", "功能", "action"),
    "help.guide": (
        """
## 侧栏

- **全部文章**：所有文章。
- **来源**：*本报*（报社自己的报道，没有 `(据…)` 行）在前，然后是文末 `(据…)` 行提到的各家媒体。
- **地区**：省，再到市（直辖市的区和新区算作市）。
- **页面**：文章所在的文件。
- **书签**：用 `m` 标记的文章。

每个节点都显示文章数。选中节点即可筛选列表。

## 字形

`t` 在简体和繁體之间切换（繁體用你最后选过的形式：繁體、台灣或香港）；从原文出发，
切换到与页面不同的字形。`T` 或命令面板（`ctrl+p`）可直接选择五种字形中的任何一种。
阅读区、列表和侧栏都会转换。界面语言在命令面板中更改。

## 关键数字

数字（数量、金额、比例、面积、日期）会高亮显示；`f` 列出它们，`]` 和 `[` 在它们之间跳转。
损坏的文字（来源页面的乱码）会被标出，绝不隐藏；`o` 显示页面原文。
""",
        """
## 側欄

- **全部文章**：所有文章。
- **來源**：*本報*（報社自己的報導，沒有 `(據…)` 行）在前，然後是文末 `(據…)` 行提到的各家媒體。
- **地區**：省，再到市（直轄市的區和新區算作市）。
- **頁面**：文章所在的檔案。
- **書籤**：用 `m` 標記的文章。

每個節點都顯示文章數。選取節點即可篩選列表。

## 字形

`t` 在簡體和繁體之間切換（繁體用你最後選過的形式：繁體、台灣或香港）；從原文出發，
切換到與頁面不同的字形。`T` 或命令面板（`ctrl+p`）可直接選擇五種字形中的任何一種。
閱讀區、列表和側欄都會轉換。介面語言在命令面板中更改。

## 關鍵數字

數字（數量、金額、比例、面積、日期）會醒目顯示；`f` 列出它們，`]` 和 `[` 在它們之間跳轉。
損壞的文字（來源頁面的亂碼）會被標出，絕不隱藏；`o` 顯示頁面原文。
""",
        """
## The sidebar

- **All articles**: every article.
- **Sources**: *own reporting* (the paper's own, no closing "according to" line) first,
  then each outlet named in a closing "according to" line.
- **Regions**: province, then city (municipal districts and new areas count as cities).
- **Pages**: the files the articles came from.
- **Bookmarks**: articles you marked with `m`.

Every node shows its article count. Select a node to filter the list.

## Scripts

`t` switches between simplified and traditional (traditional in the form you last chose:
standard, Taiwan or Hong Kong); from the original it goes to the script the page is not in.
`T` or the command palette (`ctrl+p`) chooses any of the five. Everything converts: the
reader, the list and the sidebar. The interface language is changed in the command palette.

## Key figures

Figures (counts, money, percentages, areas, dates) are highlighted; `f` lists them, `]` and
`[` jump between them. Damaged text (mojibake from the source page) is marked, never hidden;
`o` shows the page's original text.
""",
    ),
}


def text(key: str, ui: str, /, **fields: object) -> str:
    """The string ``key`` in interface language ``ui``, with ``fields`` filled in.

    A field ``n`` (a count) also fills ``{s}``, the English plural ending.

    Raises:
        KeyError: ``key`` is not in the catalogue.
    """
    value = CATALOGUE[key][UI_LANGUAGES.index(ui) if ui in UI_LANGUAGES else 0]
    if "n" in fields:  # English plurals: "1 article", "2 articles"
        fields.setdefault("s", "" if fields["n"] == 1 else "s")
    return value.format(**fields) if fields else value


def has(key: str) -> bool:
    """Whether the catalogue has ``key``."""
    return key in CATALOGUE


def script_label(script: str, ui: str) -> str:
    """The name of ``script`` as the interface shows it (``繁體``, or ``Traditional``)."""
    key = f"script.{script}"
    return text(key, ui) if has(key) else LABELS.get(script, script)


def ui_from_locale(environ: Mapping[str, str] | None = None) -> str:
    """The interface language the locale asks for: 繁體 for zh_TW/zh_HK, English for en_*.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides (POSIX
    precedence); anything else, ``C`` included, gives 简体.
    """
    env = os.environ if environ is None else environ
    value = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    name = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    if name.startswith(("zh_tw", "zh_hk", "zh_mo")) or name.startswith("zh_hant"):
        return "zh-Hant"
    if name == "en" or name.startswith("en_"):
        return "en"
    return DEFAULT_UI


def data_label(label: str, ui: str, script: str) -> str:
    """A label from the data as shown: 本报 and 未注明地区 translated, others in ``script``."""
    if label == facets.OWN_REPORTING:
        return text("label.own", ui)
    if label == facets.NO_REGION:
        return text("label.no_region", ui)
    return convert(label, script)


def describe(selection: Filter, ui: str, script: str) -> str:
    """The status bar's name for a selection, e.g. ``来源: 本报`` or ``Region: 河南 › 许昌``."""
    kind = selection.kind
    if kind in ("all", "bookmarks"):
        return text(f"filter.{kind}", ui)
    if kind == "page":  # a file name: never converted
        return text("filter.page", ui, value=selection.value)
    value = data_label(selection.value or "", ui, script)
    if kind == "city":
        province = data_label(selection.province or "", ui, script)
        return text("filter.city", ui, province=province, value=value)
    return text(f"filter.{kind}", ui, value=value)
