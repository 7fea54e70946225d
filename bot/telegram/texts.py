"""Everything the bot says to people, in one place (Telegram HTML where it carries tags)."""

from __future__ import annotations

START = "مرحبًا! أنا <b>خبر</b>: أجيب عن أسئلتك حول {what}{dated} مع مصدر كل فقرة."
START_DATED = " بفقرات مؤرَّخة (ميلادي وهجري)"
START_EXAMPLES = "اكتب سؤالك بالعربية، أو اضغط أحد الأمثلة:"
START_ASK = "اكتب سؤالك بالعربية."
ONE_ARTICLE = "مقال «{title}»"
HELP = (
    "<b>كيف تسألني</b>\n"
    "• {ask}\n"
    "• /date {egyptian} — كل أحداث يوم (أي صيغة: {levantine}، {numeric}…)\n"
    "• قبل حدث أو بعده: «ماذا حدث بعد …؟»، «ماذا فعل … قبل …؟»\n"
    "• من اليوم: «ماذا حدث أمس؟»، «ماذا حدث قبل ثلاثة أيام؟»\n"
    "• /timeline — أيام الأحداث كلها\n"
    "• /source — المقالات المفهرسة ومصادرها\n"
    "• في أي محادثة: اكتب <code>@{username} سؤالك</code>\n"
    "• في المجموعات: اذكرني (@{username}) أو ردّ على رسالتي."
)
HELP_ASK = "اكتب سؤالًا، مثل: «{example}»"
HELP_ASK_ANY = "اكتب سؤالًا عن {archive}"
HELP_TRY = "جرّب:"
NON_TEXT = "أفهم الرسائل النصية فقط. اكتب سؤالك عن {archive}، مثل: «{example}»"
NON_TEXT_ANY = "أفهم الرسائل النصية فقط. اكتب سؤالك عن {archive}."
UNKNOWN_COMMAND = "أمر غير معروف. الأوامر: /start /help /date /timeline /source"
DATE_USAGE = "اكتب التاريخ بعد الأمر، مثل:\n/date {egyptian}\n/date {levantine}\n/date {numeric}"
DATE_NOT_FOUND = "لم أجد تاريخًا في «{phrase}». اكتب مثلًا: /date {egyptian}"
NO_EVENTS = "لا أحداث مؤرَّخة في المقالات المفهرسة."
NO_ARTICLES = "لا مقالات في الفهرس."
TIMELINE = "أيام الأحداث: {count}، من {first} إلى {last}. اختر يومًا لقراءة أحداثه:"
TIMELINE_ONE = "يوم الأحداث: {day}. اضغطه لقراءة أحداثه:"
SOURCE_TITLE = "📰 <b>{title}</b>"
SOURCE_PUBLISHED = "تاريخ النشر: {date}"
SOURCE_ORIGIN = "المصدر: {origin}"
SOURCE_PASSAGES = "عدد الفقرات المفهرسة: {count}"
EXAMPLE_LEAD = "❓ {question}"
STALE = "انتهت صلاحية هذا الزر. أرسل سؤالك من جديد."
ARTICLES_CHANGED = "تغيّرت المقالات المفهرسة منذ هذا السؤال. أرسله من جديد لترى نتائجه الآن."
NO_MORE = "لا مزيد من النتائج."
FLOOD = "رسائلك كثيرة وسريعة 🙏 سأتوقف عن الرد عليك {seconds} ثانية، ثم أعود."
NOT_ALLOWED = "عذرًا، هذا البوت خاص."
FAILED = "حدث خطأ أثناء تحضير الرد. حاول مرة أخرى بعد قليل."
INDEX_UNAVAILABLE = "تعذّر فتح الأرشيف الآن، فملفه يُستبدل. حاول مرة أخرى بعد قليل."

# Buttons
MORE = "المزيد"
PREVIOUS = "→ السابق"
NEXT = "التالي ←"
SEARCH_ANYWHERE = "ابحث من أي محادثة"
INLINE_PROMPT = "اكتب سؤالًا عن {archive}"
INLINE_NOTHING = "لا نتائج — اسألني مباشرة"

# The command menu: (command, description), published at every start.
COMMANDS = (
    ("start", "بدء المحادثة وأمثلة للأسئلة"),
    ("help", "طريقة السؤال والأوامر"),
    ("date", "أحداث يوم محدد، بأي صيغة للتاريخ"),
    ("timeline", "كل أيام الأحداث بالترتيب"),
    ("source", "المقالات المفهرسة ومصادرها"),
)
