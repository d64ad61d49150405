"""What a key figure counts: ``建成乡镇(街道)社工站118个`` counts 社工站.

:func:`subject_of` finds the noun phrase a figure quantifies and reduces it to its head, by rules
over the paragraph read simplified (one character for one), its figures masked so that no phrase
runs into a neighbour; the head comes back as the paragraph writes it. It looks, in order, at

1. a change (``从X增长至Y``, ``由X降至Y``, ``X家，如今已增至Y家``, ``提高至每人Y``): the noun before
   ``从``/``由`` or the first figure, role ``"from"``/``"to"``; of a level, not a scope (扩展到);
2. the noun after: ``118个社工站``, ``10200元的慰问品``, ``20名“社工督导”``, ``11位来自…的专家``;
3. the noun before it, past link words (达 为 共计 不少于 每人每月 …): ``社工站118个``,
   ``投入资金60余万元``, ``《管理办法》共六章``;
4. a verb: ``服务50818人`` → 服务人数, ``共培训7000余人次`` → 培训人次, ``培训40余场`` → 培训,
   ``开展个案服务299人次`` → 个案服务 (the object of a light verb), ``172人獲獎`` → 獲獎人數;
5. the clause before, when this one holds only link words (``交通與住宿費用，每人每年最高2萬元``).

A phrase ends at punctuation, a figure, a function word, an adverb or a verb of the field's
lexicon, but nouns that hold a verb are whole (社会组织 服务站) and a verb before a head such as
机构 站 中心 joins it (``社会工作服务机构``; ``服务老人`` is verb and object). After a figure the
phrase ends on its last known head (``17家社工机构摆出展台`` → 社工机构). The head keeps compounds
that name what is counted (持证社会工作专业人才, 社会组织, 志愿者), drops scope words (全市 各类 首批
县级 …), place names, levels in brackets (``乡镇(街道)``), trailing 数量 群体 等, locatives, and 占比
unless the figure is a share (``60岁以上居民占比`` → 居民); a rate keeps its rate word (办结率), a head
count its verb (报名人数). The first of two objects of one sum names it (``投入财政资金、吸引公益资金
近700万元`` → 财政资金); a group word that says nothing (``…等群体``) yields to the clause's verb.

Why rules: on the gold list (``tests/fixtures/figure_subjects.tsv``) jieba 0.42.1's words and tags
named 54 % of the figures; behind the rules it added one figure in 335, for 1.6 s of loading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from swreader.core.pages.regions import find_mentions
from swreader.core.text.convert import simplify_chars
from swreader.core.text.figures import find_figures

__all__ = ["Subject", "subject_of"]


@dataclass(frozen=True, slots=True)
class Subject:
    """What a figure counts.

    Attributes:
        head: The head of the noun phrase as the paragraph writes it (``社工站``), or a verb with
            ``人数``/``人次`` when only a verb names it (``服务人数``).
        role: ``"from"`` or ``"to"`` for the two ends of a change, else ``None``.
    """

    head: str
    role: str | None = None


class _Words:
    """A word list, looked up by length at a position (a set probe per length)."""

    def __init__(self, words: str) -> None:
        self.words = frozenset(words.split())
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    def ending(self, s: str, end: int, floor: int = 0) -> str:
        """The longest word that ends at ``end`` and starts at ``floor`` or after, or ``""``."""
        for n in self.lengths:
            if end - n >= floor and s[end - n : end] in self.words:
                return s[end - n : end]
        return ""

    def starting(self, s: str, at: int) -> str:
        """The longest word that starts at ``at``, or ``""``."""
        for n in self.lengths:
            if s[at : at + n] in self.words:
                return s[at : at + n]
        return ""


# Verbs of the field, where a phrase stops. Single characters only where they never start a
# noun of the field (对 starts 对象 and 经 starts 经费: not listed).
_VERBS = _Words(
    "建成 建立 培育 孵化 发展 设立 设有 开设 组建 成立 配备 配置 引入 引进 吸引 吸纳 撬动 投入 "
    "整合 募集 链接 筹集 安排 发放 送去 捐助 帮助 帮扶 协助 服务 覆盖 走访 探访 入户探访 入户走访 "
    "上门探访 入户调查 慰问 接收 登记 招募 招生 培训 培养 认定 选拔 表扬 增聘 调配 接触 参与 参加 "
    "开展 举办 完成 实施 启动 推进 推动 推行 推广 联合 联动 提供 办理 处置 上报 受理 落实 议定 "
    "划出 结成 常驻 进入 签订 享受 补助 拥有 派驻 通过 确定 确认 形成 挂牌 开通 增设 掌握 发现 "
    "处理 调解 劝阻 调处 获奖 获颁 颁发 捐款 加保 合作 试行 申请 居于 需要 承接 涉及 增收 支付 "
    "兑换 存储 行驶 种满 散落 进行 作交流 就餐 参训 跟进 结案 提升 提质 改造 分配 扎根 投身 遭受 "
    "负责 同行 承办 主办 出席 讲话 介绍 表示 指出 统计 显示 选举 审议 发布 印发 按照 围绕 针对 "
    "联同 动员 走进 给予 实现 召开 举行 签署 开办 新开办 开放 面向 持有 取得 获得 考取 报考 连接 "
    "对接 陪伴 照看 照顾 资助 奖励 参会 入驻 来自 联系 折合 摆出 推开 分管 全覆盖 上调 下调 设置 "
    "组成 建有 带动 惠及 帮带 结对 接受 参观 报名 增加 增长 上升 下降 减少 提高 降低 代办 "
    "说 为 在 与 由 从 和 及 到 至 有 占 给 向 把 让 比"
)
_ADVERBS = _Words(
    "正式 全部 当天 统一 初步 逐步 同步 累计 全面 分片 定期 集中 先后 陆续 共同 已经 正在 首次 "
    "率先 规范化 一律 均 都 也 还 再 已 将 共 等 每 各 则 就 即 仍 又"
)
# Between a noun and its figure: 社工机构达353个, 专职社工不少于3名, 资源总计50余万元.
_LINKS = _Words(
    "达到 达 为 是 共计 共有 共 总计 合计 累计 计 约有 约 有 已有 已达 已 均已 均 分别 仅有 仅 "
    "已经 接近 不少于 不超过 不足 不到 至少 最多 最高 只需 只 满 未满 已满 占 的 多达 高达 共达 "
    "总数 现有 目前 如今 现在 当前 又 再 还有 还 也 每人每月 每人每年 每人 每月 每周 每年 每家 "
    "每个 每次 各 就 则 同比 仍缺 将近 超过 超 近 逾 大约 等 一共 总共 其中 当中 了 要 已累计 折合"
)
# Nouns read whole though they hold a verb: 社会组织, 慰问品, 占比, 服务站.
_KEEP = _Words(
    "社会组织 组织 慰问品 占比 对象 经费 救助金 救助申请 个案 服务站 服务点 服务队 服务中心 "
    "服务机构 服务项目 服务活动 服务档案 服务台账 服务需求 服务车辆 服务人数 服务人次 服务时长 "
    "服务领域 服务范围 服务摩托车 培训班 指导中心 指导价 孵化基地 实践基地 志愿服务队 慈善资金 "
    "慈善资源 公益资金 财政资金 专项资金 通报 申请机构 实习 志愿者 工作者 学者 记者 患者 长者"
)
# Heads that make the verb before them part of one noun: 服务机构, 培训班, 救助金.
_ABSORB = _Words(
    "机构 站 中心 项目 队 点 室 活动 班 金 档案 台账 需求 车辆 基地 人员 对象 人数 人次 时长 期限 "
    "周期 指导价 领域 内容 岗位 平台 体系 网络 热线 类服务 率 费 证书 讲堂 课堂 小组 团队 专家 品 "
    "工作 总人次 总人数"
)
# Heads a phrase after a figure may end on when words the lexicons miss follow.
_HEADS = _Words(
    "站 室 点 所 中心 机构 组织 企业 社工 社会工作者 人员 人才 老人 儿童 青少年 少年 家庭 群众 "
    "居民 学生 志愿者 督导 专家 学者 项目 活动 课堂 讲堂 小区 街道 乡镇 村 队 组 班 基金 档案 台账 "
    "大学 中学 小学 学校 车辆 员工 工坊 基地 岗位 网格员 毕业生 侨胞 家长 案件 系 区 县 市 镇 乡"
)
# Verbs that are nouns too when nothing follows them: 每家10萬元的環境改善補助。
_NOMINAL = _Words("补助 救助 服务 培训 奖励 资助 补贴 保障 支持")
_SCOPE = _Words(
    "全市 全县 全区 全省 全镇 全旗 全国 全州 全部 所有 各类 各地 各个 各 辖区 本级 新区本级 县级 "
    "市级 区级 省级 镇级 首批 首期 首波 现有 已 累计 共 总 其中 该 本地 我市 我县 我区 区内 市内 "
    "县内 当地 同期 今年 去年 目前 这些 这 国家 省内外 国内外 知名 相关 部分 同比 一对一"
)
_TAILS = _Words("数量 总数 总量 规模 等 们 群体 情况 中 里 上")
_LIGHT = _Words("开展 完成 提供 进行 办理 实施 举办 组织 接受")  # 开展个案服务 → 个案服务
_PREPOSITIONS = {"按照", "围绕", "针对", "面向", "联同", "通过"}  # stop a phrase, name nothing
_GENERIC = {"群体", "人群", "对象", "群众"}  # 困境儿童、空巢老人等群体: says nothing of its own
_STOPS = set("，,。；;：:！？!?、\n“”‘’「」『』《》【】/|·…—\x00 \u3000") | set("0123456789")
_CHANGE = "增长|增加|发展壮大|发展|上升|提高|提升|下降|降低|降|减少|增|跃升|攀升|回落|减"
_TO = re.compile(rf"(?:{_CHANGE})(?:到|至|为)(?:每人|当前|目前|如今|今年初?|现在|\x00+)?的?\s*$")
_FROM_AHEAD = re.compile(rf"[^。；;从由]{{0,20}}?(?:{_CHANGE})(?:到|至|为)")
_FROM_BEHIND = re.compile(r"[从由][^从由，,。；;]{0,12}$")
_FROM_ELLIPSIS = re.compile(rf"[，,](?:如今|现在|目前|现|今年)?已?(?:{_CHANGE})(?:到|至|为)")
_PAREN = re.compile(r"[乡镇县村区市居街道]{1,2}\([^()]{1,6}\)")  # 乡镇(街道), 乡(镇、街道)
_POST = re.compile(r"\s*(?:以上|以下|以内|左右|上下|或以上)")
_QUOTED = re.compile(r"[“「『‘]([^”」』’]{1,16})[”」』’]")
_COUNTED = re.compile(r"(..)(总?人[数次])$")  # 报名人数 names a count; 持证社工人数 its people
_FULLWIDTH = str.maketrans("（）［］〔〕", "()[][]")
_CLAUSE = "，,。；;：:！？!?\n"
_SENTENCE = "。；;!?！？\n"


@lru_cache(maxsize=256)
def _prepare(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The paragraph simplified (same length) with its figures masked, and the figures' spans."""
    folded = simplify_chars(text)
    if len(folded) != len(text):  # a character that folds to two: keep it as it is
        folded = "".join(f if len(f := simplify_chars(c)) == 1 else c for c in text)
    chars = list(folded.translate(_FULLWIDTH))
    spans = tuple((f.start, f.end) for f in find_figures(text))
    for a, b in spans:  # 65歲或以上人口: a bound after a figure is masked with it
        b = post.end() if (post := _POST.match(folded, b)) else b
        chars[a:b] = "\x00" * (b - a)
    return "".join(chars), spans


def _clause_start(s: str, at: int, stops: str = _CLAUSE) -> int:
    return max(s.rfind(c, 0, at) for c in stops) + 1


def _strip_links(s: str, end: int, floor: int) -> int:
    """Move ``end`` left past spaces and link words (达到, 共计, 不少于 …)."""
    while end > floor and (step := s[end - 1].isspace() or len(_LINKS.ending(s, end, floor))):
        end -= step
    return end


def _np_before(s: str, end: int, floor: int) -> tuple[int, int]:
    """The noun phrase ending at ``end`` as ``(start, end)``; empty when there is none."""
    if end > floor and s[end - 1] in "》”」":  # 《管理办法》共六章, 开设“暖心驿站”14个
        opening = s.rfind({"》": "《", "”": "“", "」": "「"}[s[end - 1]], floor, end)
        return (opening + 1, end - 1) if opening >= 0 else (end, end)
    i = end
    while i > floor and end - i < 24:
        if keep := _KEEP.ending(s, i, floor):
            i -= len(keep)
            continue
        if s[i - 1] == ")" and (opening := s.rfind("(", max(floor, i - 8), i)) >= 0:
            i = opening
            continue
        if s[i - 1] in _STOPS or s[i - 1] in "()的等":
            break
        verb = _VERBS.ending(s, i, floor)
        if verb and (i == end or not _ABSORB.starting(s, i)):
            if s[end - 1] == "者" and len(verb) >= 2 and not _KEEP.ending(s, end):
                return i - len(verb), end  # 遭受暴力威胁者: 者 names those who do the verb
            break
        if i < end and len(_ADVERBS.ending(s, i, floor)) >= 2:
            break
        i -= 1
    return i, end


def _np_after(s: str, start: int, ceiling: int) -> tuple[int, int]:
    """The noun phrase starting at ``start`` as ``(start, end)``; empty when there is none."""
    j = start
    while j < ceiling and j - start < 14:
        if keep := _KEEP.starting(s, j):
            j += len(keep)
            continue
        if s[j] == "(" and (closing := s.find(")", j, min(ceiling, j + 8))) >= 0:
            j = closing + 1
            continue
        if s[j] == "、" and 0 < j - start <= 2:  # 独居、空巢老人
            j += 1
            continue
        if s[j] in _STOPS or s[j] in "()的":
            break
        verb = _VERBS.starting(s, j)  # 環境改善補助。: a verb ending the phrase is a noun
        nominal = (
            j > start and verb in _NOMINAL.words and s[j + len(verb) : j + len(verb) + 1] in _STOPS
        )
        if verb and not nominal and not _ABSORB.starting(s, j + len(verb)):
            break
        if j > start and _ADVERBS.starting(s, j):
            break
        j += 1
    # Cut after the last known head when words the lexicons miss follow (社工机构摆出展台).
    for k in range(j, start + 1, -1):
        if _HEADS.ending(s, k, start) and s.count("(", start, k) == s.count(")", start, k):
            return start, k
    return start, j


def _reduce(s: str, a: int, b: int, kind: str) -> tuple[int, int]:
    """Reduce the noun phrase ``s[a:b]`` to its head (see the module docstring)."""
    while b - a > 2:
        if (word := _SCOPE.starting(s, a)) and b - a - len(word) >= 2:
            a += len(word)
        elif (paren := _PAREN.match(s, a, b)) and b - paren.end() >= 2:
            a = paren.end()
        elif (tail := _TAILS.ending(s, b, a)) and b - a - len(tail) >= 2:
            b -= len(tail)
        elif (places := find_mentions(s[a:b])) and places[0].start == 0 < b - a - places[0].end - 1:
            a += places[0].end
        else:
            break
    if s[a:b] in _SCOPE.words:
        return a, a  # 台中市同期: a time or scope word is no head
    if kind != "percent" and s.endswith("占比", a, b) and b - a > 3:
        b -= 2  # 60岁以上居民占比: the age qualifies 居民, not the share
    if s[b - 1 : b] in ("率", "度") and b - a > 3:
        a = b - 3  # 救助申请按时办结率 → 办结率, 服务对象满意度 → 满意度
    if (counted := _COUNTED.search(s, a, b)) and b - a > 4:  # …考试报名人数 → 报名人数
        a, b = (counted.start(), b) if counted.group(1) in _VERBS.words else (a, counted.start(2))
    return a, b


def _head(text: str, s: str, a: int, b: int, kind: str) -> str:
    a, b = _reduce(s, a, b, kind)
    return text[a:b].strip()


def _before_noun(text: str, s: str, start: int, floor: int, kind: str) -> str:
    """The head of the noun phrase before ``start``, past link words, or ``""``."""
    a, b = _np_before(s, _strip_links(s, start, floor), floor)
    if b - a < 2:
        return ""  # one character before a figure is a verb or a name more often than a noun
    if s[a] == "其" and s[a - 1 : a] in "及和":
        a, b = _np_before(s, a - 1, floor)  # 采茶工及其家庭: the first names them
    verb = _VERBS.ending(s, a, floor)
    if s[a - len(verb) - 1 : a - len(verb)] == "、":  # 投入财政资金、吸引公益资金近700万元
        a2, b2 = _np_before(s, a - len(verb) - 1, floor)
        if b2 - a2 >= 2 and s[b2 - 2 : b2] == s[b - 2 : b]:
            a, b = a2, b2
    return _head(text, s, a, b, kind)


def _after_noun(text: str, s: str, after: int, stop: int, kind: str) -> str:
    """The head of the noun phrase right after a figure (``118个社工站``), or ``""``."""
    after += s.startswith("的", after)
    quoted = _QUOTED.match(s, after, stop)
    a, b = _np_after(s, quoted.end() if quoted else after, stop)
    if quoted and a == b:
        a, b = quoted.start(1), quoted.end(1)  # 20名“社工督导”颁发聘书
    of = s.find("的", b, b + 1) if a < b else s.find("的", after, min(stop, after + 10))
    if of >= 0 and (_VERBS.starting(s, after) if a == b else not _HEADS.ending(s, b, a)):
        a2, b2 = _np_after(s, of + 1, stop)  # 11位来自省内外的专家学者, 十几块整齐的小菜畦
        if b2 - a2 >= 2:
            a, b = a2, b2
    return _head(text, s, a, b, kind) if b - a >= 2 or (b - a == 1 and kind == "count") else ""


def _with_unit(verb: str, unit: str) -> str:
    """``服务`` + ``人数`` for people, + ``人次`` for visits, the verb alone otherwise."""
    if unit.endswith("人次"):
        return verb + "人次"
    people = "人數" if simplify_chars(verb) != verb else "人数"
    return verb + people if unit.endswith(("人", "名")) else verb


def _verb_head(text: str, s: str, start: int, floor: int, unit: str) -> str:
    """The verb right before the figure (``服务50818人`` → ``服务人数``), or ``""``."""
    end = _strip_links(s, start, floor)
    verb = _VERBS.ending(s, end, floor)
    if len(verb) < 2 or verb in _PREPOSITIONS:
        return ""
    a, b = _np_before(s, end - len(verb), floor)
    if a < b and _LIGHT.ending(s, _strip_links(s, a, floor), floor):
        return _head(text, s, a, end, "count")  # 开展个案服务299人次 → 个案服务
    return _with_unit(text[end - len(verb) : end], unit)


def _clause_verb(text: str, s: str, clause: int, end: int, unit: str) -> str:
    """The first verb of a clause, for a noun that says nothing (群体, 对象), or ``""``."""
    i = clause
    while i < end:
        keep = _KEEP.starting(s, i)  # 服务队 holds no verb
        verb = "" if keep else _VERBS.starting(s, i)
        if len(verb) >= 2 and verb not in _PREPOSITIONS:
            return _with_unit(text[i : i + len(verb)], unit)
        i += len(keep) or len(verb) or 1
    return ""


def _pair_head(text: str, s: str, opening: int, kind: str, sentence: int) -> str:
    """The noun before ``从``/``由``; a rate said again (``台中市同期則由``) takes the one before."""
    head = _before_noun(text, s, opening, _clause_start(s, opening), kind)
    earlier = max(s.rfind("从", 0, sentence), s.rfind("由", 0, sentence))
    if not head and kind == "percent" and earlier >= 0:
        head = _before_noun(text, s, earlier, _clause_start(s, earlier), kind)
    return head


def _role(text: str, s: str, start: int, end: int, kind: str) -> Subject | None:
    """The subject and role of a figure at one end of a change, or ``None``."""
    sentence, clause = _clause_start(s, start, _SENTENCE), _clause_start(s, start)
    to = _TO.search(s, max(sentence, start - 14), len(s[:start].rstrip()))
    if to is None:
        behind = _FROM_BEHIND.search(s, clause, start)
        if behind and _FROM_AHEAD.match(s, end):
            head = _pair_head(text, s, behind.start(), kind, sentence)
        elif _FROM_ELLIPSIS.match(s, end):  # 仅有社工机构2家，如今已增至17家
            head = _before_noun(text, s, start, clause, kind)
        else:
            return None
        return Subject(head, "from") if head else None
    opening = max(s.rfind("从", sentence, to.start()), s.rfind("由", sentence, to.start()))
    if opening >= 0:
        head = _pair_head(text, s, opening, kind, sentence)
    else:  # 保额提高至每人500万元; or the figure before: 社工机构2家，如今已增至17家
        head = _before_noun(text, s, to.start(), _clause_start(s, to.start()), kind)
        earlier = [a for a, b in _prepare(text)[1] if sentence <= a and b <= to.start()]
        if not head and earlier:
            head = _before_noun(text, s, earlier[-1], _clause_start(s, earlier[-1]), kind)
    return Subject(head, "to") if head else None


def subject_of(text: str, start: int, end: int, kind: str) -> Subject | None:
    """What the figure ``text[start:end]`` counts.

    Args:
        text: The paragraph, simplified or traditional.
        start: The figure's first character.
        end: One past its last character.
        kind: Its kind (:data:`~swreader.core.text.figures.KINDS`); a ``date`` counts nothing.

    Returns:
        The :class:`Subject`, or ``None`` when no noun or verb names what is counted.

    Example:
        >>> subject_of("已建成乡镇(街道)社工站118个", 12, 16, "count")
        Subject(head='社工站', role=None)
    """
    if kind == "date" or not 0 <= start < end <= len(text):
        return None
    s, spans = _prepare(text)
    if (role := _role(text, s, start, end, kind)) is not None:
        return role
    clause = _clause_start(s, start)
    stop = min((i for c in _CLAUSE if (i := s.find(c, end)) >= 0), default=len(s))
    unit = _POST.sub("", text[start:end])
    if kind == "measure" and (at := s.find("距离", clause, start)) >= 0:
        return Subject(text[at : at + 2])  # 村庄距离乡镇驻地30公里以上
    starts = {a for a, _ in spans}
    after = end
    while after < stop and (s[after].isspace() or (s[after] == "\x00" and after not in starts)):
        after += 1  # spaces, and a bound masked with the figure (百分之九十五以上)
    head = "" if s.startswith("者", after) else _after_noun(text, s, after, stop, kind)
    if head:
        return Subject(head)
    links_only = _strip_links(s, start, clause) == clause
    head = _before_noun(text, s, start, clause, kind) or _verb_head(text, s, start, clause, unit)
    if simplify_chars(head) in _GENERIC:
        head = _clause_verb(text, s, clause, _strip_links(s, start, clause), unit) or head
    if not head and links_only and clause >= 2:  # 住宿費用，每人每年最高2萬元
        head = _before_noun(text, s, clause - 1, _clause_start(s, clause - 1), kind)
    verb = _VERBS.starting(s, after)  # 172人獲獎 → 獲獎人數
    if not head and len(verb) >= 2 and unit.endswith(("人", "名", "人次")):
        head = _with_unit(text[after : after + len(verb)], unit)
    return Subject(head) if head else None
