"""Chinese for the authoring workspace's pages; other texts fall back to the site's table.

The workspace's templates get this module's `gettext` as `_` (render
arguments shadow the site's global). A test checks that every `_("...")` in
its templates and views has a Chinese form here or in quizgen.web.lang.
"""

from __future__ import annotations

from quizgen.web import lang as site

__all__ = ["EN", "ZH", "gettext"]

ZH: dict[str, str] = {
    # start
    "Write a bank": "编写题库",
    "Bring your own text: a dialogue, a lecture, an article. Paste it or upload it, confirm its paragraphs and speakers, then select passages to make claims. Every claim quotes the text word for word; every save is checked as quizgen check does.": "使用你自己的文本：对话、讲座或文章。粘贴或上传后，确认段落和发言人，再选中段落中的文字来写论断。每条论断都逐字引用原文；每次保存都按 quizgen check 的规则检查。",
    "Start from a text": "从一篇文本开始",
    "Title": "标题",
    "The text's own title; you can change it later.": "文本本身的标题；以后可以修改。",
    "Paste the text": "粘贴文本",
    "One paragraph a line, or paragraphs separated by blank lines. Speaker labels such as 'SOCRATES:' or '主持人：' are found for you.": "每行一段，或用空行分段。“SOCRATES”“主持人”这样段首的发言人标注会被自动识别。",
    "or upload a text file": "或上传文本文件",
    "Continue a downloaded bank": "继续编写已下载的题库",
    "Its bank file (YAML), with its text file above": "题库文件（YAML），并在上方选择它的文本文件",
    "Read the text": "读取文本",
    "Banks in progress": "编写中的题库",
    "{n} claims": "{n} 条论断",
    "{n} debates": "{n} 个辩题",
    "None yet.": "还没有。",
    "The text is larger than {kb} KB.": "文本超过 {kb} KB。",
    "Paste a text or choose a file.": "请粘贴文本或选择文件。",
    "The bank file is not a YAML bank.": "题库文件不是 YAML 格式的题库。",
    # setup
    "Confirm the text": "确认文本",
    "Check that the paragraphs and speakers below are right, name the speakers and topics, then go on to the text. Texts marked TODO are yours to write.": "请检查下面的段落和发言人是否正确，填写发言人和主题的名称，然后进入正文。标为 TODO 的文字由你来写。",
    "Bank title": "题库标题",
    "The text's title": "文本标题",
    "Where and when it was published": "出处与发表时间",
    "Speakers": "发言人",
    "Where the text itself begins and ends": "正文的起止",
    "The first words of its first paragraph and the last words of its last one; paragraphs outside (a title, a list of persons, a site's menu) are not quoted.": "正文第一段开头的几个词和最后一段结尾的几个词；正文之外的段落（标题、人物表、网站菜单）不会被引用。",
    "Begins with": "开头",
    "Ends with": "结尾",
    "Not a speaker: remove (a stage direction such as 'SCENE:')": "不是发言人：删除（如“SCENE”这样的舞台说明）",
    "No speaker labels were found: the whole text is its author's.": "没有找到发言人标注：全文都出自作者。",
    "Name": "名称",
    "Role": "身份",
    "Kind": "类别",
    "panelist": "发言嘉宾",
    "host": "主持人",
    "audience": "观众",
    "Host and audience turns are context, not claims.": "主持人和观众的发言是背景，不作为论断。",
    "Id": "编号",
    "Remove this topic": "删除此主题",
    "Add a topic": "添加主题",
    "Save and go to the text": "保存并进入正文",
    "{n} paragraphs": "{n} 段",
    "continues {who}": "{who} 继续发言",
    "no speaker": "无发言人",
    "quizgen check finds {n} problem(s):": "quizgen check 发现 {n} 个问题：",
    "Saved.": "已保存。",
    # the text
    "The text": "正文",
    "Select words in a paragraph to quote them in a new claim, or use a paragraph's link.": "在段落中选中文字，即可引用它写一条新论断；也可以使用段落下的链接。",
    "Quote this paragraph": "引用本段",
    "New claim from the selection": "用选中的文字写论断",
    "Type or paste a quote": "输入或粘贴引文",
    "Find it and write a claim": "查找并写论断",
    "Speakers and topics": "发言人与主题",
    "Download the bank (YAML)": "下载题库（YAML）",
    "Download the text": "下载文本",
    "Build a quiz from it": "用它生成测验",
    "No claims yet: select a passage in the text.": "还没有论断：请在正文中选中一段文字。",
    "Debates": "辩题",
    "Discussion question: yes": "讨论题：有",
    "Discussion question: no": "讨论题：无",
    "gives a stance question": "生成观点题",
    "no stance question": "不生成观点题",
    "stance:not-opposed": "辩题未标为对立",
    "stance:sides": "对立辩题须恰好有两方",
    "stance:other-speaker": "论断的发言人不是这一方的发言人",
    "stance:reported": "这是转述，不是发言人自己的观点",
    "stance:uncertain": "发言人不确定",
    "stance:opponents": "另一方同一主题、长度相近的论断少于三条，凑不齐错误选项",
    "No debates yet. A debate needs claims of two or more speakers who disagree.": "还没有辩题。辩题需要两位或更多意见不同的发言人的论断。",
    "Add a debate": "添加辩题",
    "Yes, delete it": "确认删除",
    "Delete this bank in progress": "删除这个编写中的题库",
    "Deleted: {title}.": "已删除：{title}。",
    "Fix the bank's problems first.": "请先修正题库中的问题。",
    "Add a claim first: a bank without claims gives no question.": "请先添加论断：没有论断的题库生成不了题目。",
    # claims
    "Claim": "论断",
    "New claim": "新论断",
    "Quote (the text's own words)": "引文（原文的文字）",
    "Attribution": "归属",
    "attribution:explicit": "明确（有标注或接续标注的发言）",
    "attribution:inferred": "推断（据上下文判断）",
    "attribution:uncertain": "不确定",
    "Why this speaker (needed unless explicit)": "为什么是这位发言人（归属不是“明确”时必填）",
    "Lower-case letters, digits, - and _; questions keep their ids from it.": "小写字母、数字、- 和 _；题目编号由它派生。",
    "Statement: the claim in one sentence, faithful to the quote": "陈述：用一句话忠实地概括引文",
    "False statement: the same with one thing changed (a number, a name, a negation)": "错误陈述：只改一处（数字、名字或否定）",
    "Drafts with one thing changed (a number, a name, a negation): use one and check that it is false by the text.": "只改动一处（数字、名字或否定）的草稿：采用后请核对它确实与原文不符。",
    "Wrong options of the answer's kind from the text's own names, numbers and terms: use one and check that the text contradicts it.": "取自原文中同类名字、数字和术语的错误选项：采用后请核对原文确实与之矛盾。",
    "Cloze term: a word of the statement to blank out": "填空词：陈述中要挖空的词",
    "Click one of the statement's words below, select words in a statement and press the button, or type them.": "点击下面陈述中的一个词，或在陈述中选中文字后按下按钮，或直接输入。",
    "Words of the statement that occur in it once (Chinese split into words by a segmenter): a specific name, number or term makes a blank with one answer.": "陈述中只出现一次的词（中文由分词器切分）：具体的名字、数字或术语，才能让填空只有一个答案。",
    "Other right answers to the cloze (optional), separated by /": "填空的其他正确答案（可选），用 / 分隔",
    "Only what the marking rule does not already accept: case, width, spaces and end punctuation are ignored anyway.": "只列出判分规则尚未接受的答案：大小写、全半角、空格和首尾标点本来就不计。",
    "Use the selected words as the cloze term": "把选中的文字设为填空词",
    "A fact question (optional)": "事实题（可选）",
    "Question": "问题",
    "Wrong option {n} (contradicted by the text)": "错误选项 {n}（须与原文相矛盾）",
    "Difficulty (1-3)": "难度（1-3）",
    "Tags (separated by spaces)": "标签（用空格分隔）",
    "Check and save": "检查并保存",
    "Check and preview": "检查并预览",
    "No question in this language yet.": "这种语言还没有题目。",
    "Check the claim to see the questions it gives: true/false needs a false statement, cloze a cloze term, a fact question its answer and three wrong options; 'who said this?' needs an attribution that is not uncertain.": "检查论断即可看到它生成的题目：判断题需要错误陈述，填空题需要填空词，事实题需要答案和三个错误选项；“谁说的”题要求归属不是“不确定”。",
    "Yes, remove it": "确认删除",
    "Remove this claim": "删除这条论断",
    "Claim saved: {id}.": "论断已保存：{id}。",
    "Claim removed: {id}.": "论断已删除：{id}。",
    "quizgen check passes: {en} question(s) in English, {zh} in Chinese.": "quizgen check 通过：英文 {en} 道题，中文 {zh} 道题。",
    "Find a quote": "查找引文",
    "Type or select a quote first.": "请先输入或选中引文。",
    "These words occur in several paragraphs. Pick one:": "这些文字出现在多个段落中。请选择一段：",
    "The quote runs from paragraph {n} into the next; a quote lies inside one paragraph. Select less.": "引文从第 {n} 段延续到下一段；引文须在同一段内。请少选一些。",
    "The text does not hold these words.": "原文中没有这些文字。",
    "The nearest passage, in paragraph {n}:": "最接近的文字，在第 {n} 段：",
    "Quote this passage instead": "改为引用这段文字",
    # debates
    "Debate": "辩题",
    "New debate": "新辩题",
    "A debate is a point where speakers disagree: each side is a speaker and the claims that state their view. Every debate gives a discussion question. Mark it opposed when it has two sides and each side's claims contradict the other speaker: then each claim also gives a 'which statement matches this view?' question, its wrong options taken from the other side.": "辩题是发言人意见分歧之处：每一方是一位发言人及表达其观点的论断。每个辩题生成一道讨论题。若只有两方且每一方的论断都与另一方相矛盾，请标为“对立”：这样每条论断还会生成“哪一说法符合此观点”的题目，错误选项取自另一方。",
    "Opposed: two sides that contradict each other": "对立：两方观点互相矛盾",
    "Discussion question": "讨论题",
    "Side {n}": "第 {n} 方",
    "(no side)": "（无）",
    "Position": "立场",
    "Teacher notes: what each side argues, the evidence, what a strong answer addresses": "教师笔记：各方的论点、原文中的依据、好的回答应涉及什么",
    "Debate saved: {id}.": "辩题已保存：{id}。",
}

#: English wording for texts whose key is an identifier
EN: dict[str, str] = {
    "attribution:explicit": "explicit (labelled, or continuing a labelled turn)",
    "attribution:inferred": "inferred (from the context)",
    "attribution:uncertain": "uncertain",
    "stance:not-opposed": "the debate is not marked opposed",
    "stance:sides": "an opposed debate needs exactly two sides",
    "stance:other-speaker": "the claim's speaker is not the side's speaker",
    "stance:reported": "reported speech, not the speaker's own view",
    "stance:uncertain": "the speaker is uncertain",
    "stance:opponents": "the other side has fewer than three claims on this topic, "
    "of a comparable length, to serve as wrong options",
}


def gettext(text: str, **values: object) -> str:
    """`text` in the current request's language, with `values` filled in."""
    table = ZH if site.current() == "zh" else EN
    if text in table:
        out = table[text]
        return out.format(**values) if values else out
    return site.gettext(text, **values)
