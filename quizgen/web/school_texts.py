"""Chinese for My sessions and a school server's login; quizgen.web.lang adds
these to the site's table (kept apart so each area's texts stay together)."""

from __future__ import annotations

__all__ = ["ZH"]

ZH: dict[str, str] = {
    # My sessions
    "My sessions": "我的课堂测验",
    "Every live session you started, the newest first: open its results, download its answers, or delete it.": "你开始过的每一场课堂测验，最新的在前：查看结果、下载答案，或删除。",
    "No live sessions yet. Open a quiz's preview and press Start a live session.": "还没有课堂测验。打开一份测验的预览，然后点击“开始课堂测验”。",
    "Mode": "方式",
    "Started": "开始时间",
    "Students": "学生",
    "State": "状态",
    "Self-paced": "自定进度",
    "Teacher-paced": "老师控制进度",
    "Lobby": "等待加入",
    "Running": "进行中",
    "Ended": "已结束",
    "Deadline passed": "已过截止时间",
    "Results": "结果",
    "Control page": "控制页",
    "Results of {name}": "“{name}”的结果",
    "Control page of {name}": "“{name}”的控制页",
    "CSV of {name}": "“{name}”的 CSV",
    "Gradebook of {name}": "“{name}”的成绩表",
    "Gradebook (.xlsx)": "成绩表（.xlsx）",
    "Delete the session “{title}”?": "删除课堂测验“{title}”？",
    "Started {when}. {students} student(s) and {answers} answer(s) are deleted with it, for good. Download the CSV or the gradebook first if you need them.": "开始于 {when}。{students} 名学生和 {answers} 条答案将一并永久删除。如有需要，请先下载 CSV 或成绩表。",
    "Delete the session and its answers": "删除这场测验及其答案",
    "Deleted the session “{title}” and its answers.": "已删除课堂测验“{title}”及其答案。",
    # school server: logging in
    "Log in": "登录",
    "Log out": "退出登录",
    "Logged in as {name}": "当前登录：{name}",
    "Login name": "登录名",
    "Password": "密码",
    "This server is shared by the teachers of a school: each sees only their own quizzes, sessions and banks. Students do not log in: they join at {join}.": "这台服务器由学校的老师们共用：每位老师只能看到自己的测验、课堂测验和题库。学生无需登录：在 {join} 加入即可。",
    "No account yet? The person who runs this server adds one with: quizgen teachers add NAME": "还没有账号？请管理这台服务器的人用以下命令添加：quizgen teachers add 用户名",
    "Too many attempts. Wait a few minutes and try again.": "尝试次数过多。请等几分钟再试。",
    "Wrong name or password.": "登录名或密码错误。",
    "You are logged out.": "你已退出登录。",
}
