"""The interface language: chosen from the browser, switchable, remembered in a cookie.

Templates write English and call `_("...")`; `ZH` holds the Chinese for every
such text (a test checks that none is missing). Placeholders use str.format:
`_("{n} questions", n=3)`.
"""

from __future__ import annotations

from flask import Request, g, request

__all__ = ["COOKIE", "LANGS", "ZH", "colon", "comma", "gettext", "negotiate", "paren"]

LANGS = ("zh", "en")
COOKIE = "quizgen_lang"

ZH: dict[str, str] = {
    # base and navigation
    "quizgen": "quizgen 测验生成",
    "Skip to content": "跳到正文",
    "Main": "主导航",
    "Banks": "题库",
    "Build a quiz": "生成测验",
    "Upload a bank": "上传题库",
    "Write a bank": "编写题库",
    "Language": "语言",
    "Switch": "切换",
    "Curated claims from a source text become quizzes.": "把原文中经过整理的论断变成测验题。",
    # home
    "Question banks on this server": "本服务器上的题库",
    "Each bank holds claims quoted verbatim from one source text. Pick one to build a quiz, or read its source with every quote marked.": "每个题库收录从一篇原文中逐字引用的论断。选择一个题库来生成测验，或阅读标出了全部引文的原文。",
    "No banks yet.": "还没有题库。",
    "uploaded": "已上传",
    "bundled": "内置",
    "Source": "原文",
    "claims": "论断",
    "debates": "辩题",
    "topics": "主题",
    "questions": "题目",
    "Read the source": "阅读原文",
    "This bank has problems and cannot be used:": "此题库有问题，无法使用：",
    # builder
    "Bank": "题库",
    "Open": "打开",
    "Topics": "主题",
    "All topics when none is ticked.": "不勾选即为全部主题。",
    "Kinds of question": "题型",
    "All kinds when none is ticked.": "不勾选即为全部题型。",
    "Open blanks too": "也出开放填空",
    "A cloze blank is closed when a name, a number or a term the text writes in Latin letters fills it: one answer. An open blank (a common word) has other right wordings than the listed ones: for practice you mark yourself.": "填空处是名字、数字或原文用拉丁字母书写的术语时为封闭填空，答案唯一。开放填空（普通词语）除列出的答案外还有其他正确写法，适合您亲自批改的练习。",
    "no questions from this bank": "此题库出不了这种题",
    "Difficulty": "难度",
    "All levels when none is ticked.": "不勾选即为全部难度。",
    "Number of questions": "题目数量",
    "Empty: {n}, or as many as the choices allow if fewer.": "留空则为 {n} 道；符合条件的题目不足时取全部。",
    "Language of the questions": "题目语言",
    "Seed": "随机种子",
    "The same seed gives the same quiz.": "相同的种子得到相同的测验。",
    "Versions": "版本数",
    "Shuffled versions A, B, …, each with its own key.": "乱序版本 A、B……，各有答案。",
    "Count the questions": "统计题目",
    "These choices allow {n} questions.": "这些条件下共有 {n} 道题可选。",
    "These choices allow 1 question.": "这些条件下共有 1 道题可选。",
    "These choices allow no question.": "这些条件下没有可选的题目。",
    "{name} must be a whole number from {low} to {high}.": "{name}必须是 {low} 到 {high} 之间的整数。",
    "Choose Chinese or English for the questions.": "请为题目选择中文或英文。",
    "{n} questions in {v} versions make {total} in all; at most {most}: choose fewer questions or fewer versions.": "{n} 道题、{v} 个版本共 {total} 道；最多 {most} 道：请减少题目数量或版本数。",
    "Chinese": "中文",
    "English": "英文",
    "multiple_choice:fact": "选择题：事实",
    "multiple_choice:attribution": "选择题：谁说的",
    "multiple_choice:stance": "选择题：观点",
    "true_false:statement": "判断题",
    "cloze:term": "填空题",
    "discussion:debate": "讨论题",
    "easy": "容易",
    "medium": "中等",
    "hard": "难",
    # preview
    "Preview": "预览",
    "Quiz": "测验",
    "Version": "版本",
    "Short link to come back to this selection:": "回到这份选题的短链接：",
    "Reshuffle": "重新抽题",
    "Pick new questions with a new seed.": "用新的种子重新抽取题目。",
    "Change the choices": "修改条件",
    "Download": "下载",
    "Files built from exactly the questions on this page, with your edits.": "按本页的题目（含你的修改）生成文件。",
    "Word handouts come as a student copy and an answer key per version, in one .zip file.": "Word 讲义每个版本各有学生版和答案版，打包为一个 .zip 文件。",
    "Several versions come in one .zip file.": "多个版本打包为一个 .zip 文件。",
    "Word: student copy and key": "Word：学生版和答案",
    "(.zip)": "（.zip）",
    "{n} edited.": "已修改 {n} 道。",
    "In My quizzes": "已在“我的测验”中",
    "Saved as “{name}”. Removing, swapping and editing questions here change this quiz.": "已保存为“{name}”。在这里删除、换题和修改题目都会改动这份测验。",
    "My quizzes": "我的测验",
    "Save to My quizzes": "保存到“我的测验”",
    "Name": "名称",
    "Save": "保存",
    "edited": "已修改",
    "Edit question {n}": "修改第 {n} 题",
    "Saved with this quiz, never in the bank; every download and live session uses it. The source quote stays as it is.": "修改只保存在这份测验中，不改动题库；所有下载和课堂测验都会使用它。原文引文保持不变。",
    "Question": "题干",
    "Options (tick the right answer)": "选项（勾选正确答案）",
    "Option {letter} is the right answer": "选项 {letter} 是正确答案",
    "Right answer": "正确答案",
    "Other accepted answers, one a line": "其他可接受的答案，每行一个",
    "Also accepted": "也算正确",
    "Case, width, spaces, dashes and brackets are ignored when answers are compared.": "比较答案时不区分大小写和全角半角，并忽略空格、连字符和括号。",
    "Save the edit": "保存修改",
    "Back to the bank's text": "恢复题库原文",
    "There is no such question in this quiz.": "本测验中没有这道题。",
    "The question is back to the bank's text.": "这道题已恢复为题库原文。",
    "Question edited.": "已修改该题。",
    "Saved to My quizzes as “{name}”.": "已保存到“我的测验”，名称为“{name}”。",
    # my quizzes
    "You have 1 saved quiz.": "你有 1 份保存的测验。",
    "You have {n} saved quizzes.": "你有 {n} 份保存的测验。",
    "The quizzes you saved from a preview. Open one to download it, start a live session, or change its questions; short links you kept still show what they showed.": "你从预览页保存的测验。打开一份即可下载、开始课堂测验或修改题目；你保留的短链接仍显示原来的内容。",
    "No saved quizzes yet. Build a quiz, then press Save on its preview.": "还没有保存的测验。先生成测验，再在预览页点击“保存”。",
    "Questions": "题数",
    "Made": "创建时间",
    "Last used": "上次使用",
    "Actions": "操作",
    "bank removed": "题库已删除",
    "not yet": "尚未使用",
    "Duplicate": "复制",
    "Open {name}": "打开“{name}”",
    "Duplicate {name}": "复制“{name}”",
    "Rename": "重命名",
    "New name": "新名称",
    "Delete {name}": "删除“{name}”",
    "The quiz leaves My quizzes. Its short links, files already downloaded and live sessions already started keep their questions.": "这份测验将从“我的测验”中移除。它的短链接、已下载的文件和已开始的课堂测验保留各自的题目。",
    "Delete this quiz": "删除这份测验",
    "Give the quiz a name.": "请给测验起个名字。",
    "A name may have at most {n} characters (this one has {m}).": "名称最多 {n} 个字符（现在有 {m} 个）。",
    "The name contains control or invisible characters.": "名称含有控制字符或不可见字符。",
    "Renamed to “{name}”.": "已重命名为“{name}”。",
    " (copy)": "（副本）",
    "Duplicated as “{name}”.": "已复制为“{name}”。",
    "Deleted “{name}”.": "已删除“{name}”。",
    "Anki deck with Chinese and English on each card": "Anki 卡组：每张卡片中英双语",
    "Answer": "答案",
    "right answer": "正确答案",
    "Explanation": "解析",
    "Source quote": "原文引文",
    "paragraph {n}": "第 {n} 段",
    "Show in the source": "在原文中查看",
    "Remove": "删除",
    "Swap": "换一道",
    "Remove question {n}": "删除第 {n} 题",
    "Swap question {n} for another": "把第 {n} 题换成另一道",
    "Sides": "各方观点",
    "Guiding questions": "引导问题",
    "Teacher notes": "教师笔记",
    "Topic": "主题",
    "Speaker": "发言人",
    "Question {n}": "第 {n} 题",
    "Seed {seed}, {n} questions, 1 version.": "种子 {seed}，{n} 道题，1 个版本。",
    "Seed {seed}, {n} questions, {v} versions.": "种子 {seed}，{n} 道题，{v} 个版本。",
    "Question removed.": "已删除该题。",
    "Question swapped.": "已换题。",
    "New questions picked.": "已重新抽题。",
    "True": "对",
    "False": "错",
    # kinds as shown in the preview
    "multiple_choice": "选择题",
    "true_false": "判断题",
    "cloze": "填空题",
    "discussion": "讨论题",
    # source view
    "Source text": "原文",
    "Paragraphs are numbered as the bank counts them. Marked passages are quoted by claims; each links to its claims and their questions.": "段落编号与题库一致。标记的文字被论断引用，每处都链接到对应的论断及题目。",
    "Claims": "论断",
    "quoted in paragraph {n}": "引自第 {n} 段",
    "Questions from this claim": "由此论断生成的题目",
    "No question comes from this claim.": "此论断没有生成题目。",
    "claim": "论断",
    "outside the text": "正文之外",
    "quoted by": "引用者",
    "Back to the quote": "回到引文",
    # upload
    "A bank is a YAML file plus the source text it quotes (UTF-8, one paragraph a line). It is checked exactly as `quizgen check` does; a bank with problems is not stored.": "题库是一个 YAML 文件加上它所引用的原文（UTF-8，每段一行）。检查方式与 `quizgen check` 相同；有问题的题库不会被保存。",
    "Bank (YAML)": "题库(YAML)",
    "Source text (.txt)": "原文(.txt)",
    "At most {kb} KB each.": "每个文件最多 {kb} KB。",
    "Upload and check": "上传并检查",
    "The bank has {n} problem(s); nothing was stored.": "题库有 {n} 个问题；未保存任何内容。",
    "The first {shown} are listed: fix them and upload again, or run quizgen check on the file for the whole list.": "下面列出前 {shown} 个：改正后再上传，或对该文件运行 quizgen check 查看完整列表。",
    "line": "行",
    "Line": "行",
    "Item": "条目",
    "Problem": "问题",
    "Bank uploaded: {title}.": "题库已上传：{title}。",
    "Delete": "删除",
    "Cancel": "取消",
    "Delete {title}?": "要删除“{title}”吗？",
    "The bank and its source text are removed from this server, with every short link to a selection from it. Files already downloaded and live sessions already started keep their questions.": "题库及其原文将从本服务器删除，由它生成的选题短链接也一并删除。已下载的文件和已开始的课堂测验保留各自的题目。",
    "Delete this bank": "删除这个题库",
    "Bank deleted: {title}.": "题库已删除：{title}。",
    "Choose a bank file.": "请选择题库文件。",
    "This server holds {n} uploaded banks, as many as it accepts.": "本服务器已存有 {n} 个上传的题库，已达上限。",
    "This server holds as much uploaded text as it accepts ({kb} KB).": "本服务器保存的上传文本已达上限（{kb} KB）。",
    "Choose a source text file.": "请选择原文文件。",
    "{name} is larger than {kb} KB.": "{name} 超过 {kb} KB。",
    "{name} is not UTF-8 text.": "{name} 不是 UTF-8 文本。",
    # errors
    "Page not found": "找不到页面",
    "This page is for the teacher": "此页面仅供教师使用",
    "Students: to join a quiz, open {join} and type the code on the projector.": "学生请打开 {join}，输入投影上的代码加入测验。",
    "There is nothing at this address. The link may be mistyped, or the quiz or bank is not on this server.": "此地址没有内容。链接可能有误，或者测验、题库不在本服务器上。",
    "Bad request": "请求有误",
    "The request could not be understood.": "无法理解这个请求。",
    "The form has expired": "表单已过期",
    "Reload the page and send the form again.": "请刷新页面后重新提交表单。",
    "Not allowed": "不允许的操作",
    "This address does not accept that kind of request.": "此地址不接受这种请求。",
    "Too large": "文件过大",
    "The upload is larger than this server accepts ({kb} KB in all).": "上传内容超过本服务器的上限（总共 {kb} KB）。",
    "Something went wrong": "出错了",
    "The server could not finish this request. Nothing you did caused it; try again, and if it keeps happening, tell the person who runs this server.": "服务器没能完成这个请求，这不是你的操作造成的。请重试；如果一直出现，请告知本服务器的管理员。",
    "That did not work": "操作未完成",
    "Back to the start": "返回首页",
    "Error {code}": "错误 {code}",
}


#: English wording for texts whose key is an identifier
EN: dict[str, str] = {
    "multiple_choice:fact": "Multiple choice: facts",
    "multiple_choice:attribution": "Multiple choice: who said it",
    "multiple_choice:stance": "Multiple choice: views",
    "true_false:statement": "True or false",
    "cloze:term": "Fill in the blank",
    "discussion:debate": "Discussion",
    "multiple_choice": "multiple choice",
    "true_false": "true or false",
    "cloze": "fill in the blank",
    "discussion": "discussion",
}


from quizgen.web.school_texts import ZH as _SCHOOL_ZH  # noqa: E402

ZH.update({k: v for k, v in _SCHOOL_ZH.items() if k not in ZH})


def negotiate(req: Request) -> str:
    """The language for this request: the cookie, else the browser's preference, else en."""
    chosen = req.cookies.get(COOKIE, "")
    if chosen in LANGS:
        return chosen
    best = req.accept_languages.best_match(["zh", "zh-CN", "zh-TW", "en"], default="en")
    return "zh" if best.lower().startswith("zh") else "en"


def current() -> str:
    """The language of the current request ('zh' or 'en')."""
    lang = getattr(g, "lang", None)
    if lang is None:
        lang = g.lang = negotiate(request)
    return str(lang)


def gettext(text: str, **values: object) -> str:
    """`text` in the current request's language, with `values` filled in."""
    out = ZH.get(text, text) if current() == "zh" else EN.get(text, text)
    return out.format(**values) if values else out


# Punctuation between a translated label and what follows it, in the page's
# language: Chinese takes full-width marks with no space.


def colon() -> str:
    """': ' in English, '：' in Chinese."""
    return "\uff1a" if current() == "zh" else ": "


def comma() -> str:
    """', ' in English, '，' in Chinese."""
    return "\uff0c" if current() == "zh" else ", "


def paren(value: object) -> str:
    """' (value)' in English, '（value）' in Chinese."""
    return f"\uff08{value}\uff09" if current() == "zh" else f" ({value})"
