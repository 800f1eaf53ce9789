"""The catalogue's half about sites: every problem a build or ``chaowen check`` reports.

Config, front matter, fields, encodings, Markdown, templates, the output folder,
the search index and links. Keys are unique across both halves; :mod:`chaowen.messages`
joins them into the one ``CATALOGUE`` and words them.
"""

from __future__ import annotations

from typing import Final

# key -> (Chinese, English). Placeholders use str.format names.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # config
    "config_missing": ("找不到站点配置文件 chaowen.yaml", "chaowen.yaml not found"),
    "config_missing_hint": (
        "请在站点根目录运行，或用 --site 指定站点目录；新建站点可用 chaowen init",
        "run inside the site folder or pass --site; create a site with chaowen init",
    ),
    "config_not_mapping": ("配置文件应是“键: 值”的形式", "the config must be a mapping of keys to values"),
    "config_unknown_key": ("未知的配置项 “{key}”", "unknown config key '{key}'"),
    "did_you_mean": ("是否想写 “{suggestion}”？", "did you mean '{suggestion}'?"),
    "valid_keys": ("可用的配置项：{choices}", "valid keys: {choices}"),
    "config_bad_value": ("配置项 “{key}” 的值无效：{reason}", "invalid value for '{key}': {reason}"),
    "bad_field_value": ("字段 “{field}” 的值无效：{reason}", "invalid value for the field '{field}': {reason}"),
    "config_bad_timezone": ("未知的时区 “{value}”", "unknown time zone '{value}'"),
    "config_timezone_hint": ("例如 Asia/Shanghai", "for example Asia/Shanghai"),
    "config_bad_url": (
        "base_url 应以 http:// 或 https:// 开头，例如 https://example.org/chaowen/",
        "base_url must start with http:// or https://, e.g. https://example.org/chaowen/",
    ),
    "config_bad_track_key": (
        "赛道代号 “{value}” 只能包含小写英文字母、数字和连字符",
        "track key '{value}' may only contain lower-case letters, digits and hyphens",
    ),
    "cli_option": ("命令行参数 {option}", "command-line option {option}"),
    "option_bad_url": (
        "“{value}” 不是有效的网址：应以 http:// 或 https:// 开头",
        "'{value}' is not a valid URL: it must start with http:// or https://",
    ),
    "option_bad_url_hint": (
        "例如 {option} https://example.org/chaowen/，或只写路径 {option} /chaowen/",
        "e.g. {option} https://example.org/chaowen/, or just the path: {option} /chaowen/",
    ),
    "config_duplicate_track": ("赛道 “{value}” 重复定义", "track '{value}' is defined twice"),
    "config_no_tracks": ("至少需要定义一个赛道（tracks）", "at least one track must be defined"),
    "expected_text": ("应为文字", "expected text"),
    "expected_int": ("应为正整数", "expected a positive whole number"),
    "expected_list": ("应为列表", "expected a list"),
    "expected_mapping": ("应为“键: 值”的形式", "expected a mapping"),
    "expected_bool": ("应为 true 或 false", "expected true or false"),
    "expected_image": (
        "应为 content/ 下一张图片的相对路径，如 cover.jpg 或 ../images/cover.png",
        "expected the relative path of an image under content/, e.g. cover.jpg or ../images/cover.png",
    ),
    "missing_field": ("缺少必填字段 “{field}”", "missing required field '{field}'"),
    "missing_field_hint": ("在文件头加上 {example}", "add {example} to the front matter"),
    # yaml / front matter
    # The parser's errors, named by the editor's mistake (frontmatter._diagnose). The Chinese fallback
    # deliberately leaves out the parser's English {reason}.
    "yaml_error": ("YAML 格式有误，读不懂这一行", "YAML syntax error: {reason}"),
    "yaml_error_hint": (
        "检查这一行的冒号、缩进和引号；值里含有冒号或 # 时请用引号括起来",
        "check the colons, indentation and quotes on this line; quote values that contain ':' or '#'",
    ),
    "yaml_unclosed_quote": (
        "引号没有闭合：这一行的值以 {quote} 开始，但没有结束的 {quote}",
        "unclosed quote: the value on this line starts with {quote} but never ends with one",
    ),
    "yaml_unclosed_quote_hint": (
        "在值的末尾补上 {quote}；值里本身要用引号时，外面改用另一种引号，或用中文引号 “”",
        "add {quote} at the end of the value; if the value itself contains that quote, use the other kind outside",
    ),
    "yaml_text_after_close": (
        "引号或括号已经结束，后面还有文字",
        "there is text after the closing quote or bracket",
    ),
    "yaml_text_after_close_hint": (
        "整个值要放在一对引号里，例如 {example}；或把值里的英文引号改成中文引号 “”",
        "put the whole value in one pair of quotes, e.g. {example}",
    ),
    "yaml_bad_escape": (
        "双引号里的 “{escape}” 不是有效的转义",
        "'{escape}' inside double quotes is not a valid escape",
    ),
    "yaml_bad_escape_hint": (
        "反斜杠要写成两个（\\\\），或改用单引号括起整个值",
        "write the backslash twice (\\\\), or put the whole value in single quotes",
    ),
    "yaml_unclosed_bracket": (
        "“{bracket}” 没有配对的 “{closing}”",
        "'{bracket}' is never closed with '{closing}'",
    ),
    "yaml_unclosed_bracket_hint": (
        "在值的末尾补上 “{closing}”，各项之间用英文逗号分隔",
        "add '{closing}' at the end of the value and separate the items with commas",
    ),
    "yaml_colon_in_list": (
        "方括号里的一项含有冒号，YAML 把它当成了“键: 值”",
        "an item in brackets contains a colon, which YAML reads as a key and a value",
    ),
    "yaml_colon_in_list_hint": (
        '用引号把这一项括起来，例如 tags: ["时间: 上午", 芯片]',
        'put that item in quotes, e.g. tags: ["time: morning", chips]',
    ),
    "yaml_empty_item": ("括号里有一项是空的：多了一个逗号", "an item in the brackets is empty: one comma too many"),
    "yaml_empty_item_hint": (
        "删去多余的逗号；某一项本身含有逗号或冒号时，用引号把它括起来",
        "remove the extra comma; put an item that contains a comma or colon in quotes",
    ),
    "yaml_colon_in_value": (
        "值里有“冒号加空格”（: ），YAML 把它当成了新的字段",
        "the value contains a colon followed by a space, which YAML reads as a new field",
    ),
    "yaml_colon_in_value_hint": (
        "用引号把整个值括起来：{example}",
        "put the whole value in quotes: {example}",
    ),
    "yaml_missing_colon": ("这一行缺少冒号", "this line has no colon"),
    "yaml_missing_colon_hint": (
        "每个字段写成“字段: 值”，冒号是英文冒号，后面加一个空格",
        "write each field as 'field: value', with a space after the colon",
    ),
    "yaml_missing_key": ("这一行的冒号前面没有字段名", "this line has a colon but no field name before it"),
    "yaml_missing_key_hint": ("在冒号前写上字段名，例如 title: 标题", "write the field name before the colon"),
    "yaml_indent": ("这一行的缩进不对，和上下文对不齐", "this line is indented wrongly"),
    "yaml_indent_hint": (
        "同一层的字段要从同一列开始；列表的每一项以“- ”开头，缩进相同",
        "fields at the same level start in the same column; list items start with '- ' and line up",
    ),
    "yaml_stray_item": (
        "这一行是列表项（- ），但上面的字段不是列表",
        "this line is a list item, but no list starts above it",
    ),
    "yaml_stray_item_hint": (
        "列表项要写在字段下面并缩进，例如 tags: 换行后写“  - 芯片”",
        "put list items under their field, indented, e.g. 'tags:' then '  - chips'",
    ),
    "yaml_inline_item": (
        "列表项（- ）不能和字段写在同一行",
        "a list item ('- ') cannot follow a field on the same line",
    ),
    "yaml_inline_item_hint": (
        "换行后缩进写“  - 项”，或写成 tags: [甲, 乙]",
        "start each item on its own indented line, or write tags: [a, b]",
    ),
    "yaml_bad_start": (
        "值不能以 “{char}” 开头（YAML 把它当作特殊符号）",
        "a value cannot start with '{char}' (YAML reads it as markup)",
    ),
    "yaml_bad_start_hint": ("用引号把整个值括起来：{example}", "put the whole value in quotes: {example}"),
    "yaml_tab_inline": ("这一行有制表符（Tab）", "this line contains a tab"),
    "yaml_tab_inline_hint": (
        "YAML 在这里只接受空格，请把 Tab 换成空格",
        "YAML only allows spaces here; replace the tab",
    ),
    "yaml_block_scalar": ("“|” 或 “>” 后面不能接文字", "'|' or '>' cannot be followed by text on the same line"),
    "yaml_block_scalar_hint": (
        "在 | 或 > 后换行，再缩进两个空格写多行的值",
        "start a new line after | or > and indent the text by two spaces",
    ),
    "yaml_second_document": ("这一行的 --- 开始了第二个文档", "the --- on this line starts a second document"),
    "yaml_second_document_hint": (
        "删去这一行的 ---；一个文件只能有一组字段",
        "remove the ---; a file holds one set of fields",
    ),
    "yaml_control_char": (
        "这一行有不可见的控制字符（{code}）",
        "this line contains the invisible control character {code}",
    ),
    "yaml_control_char_hint": (
        "删去它；这类字符常来自从网页或 Word 复制的文字",
        "delete it; it usually comes from text copied from a web page or Word",
    ),
    "yaml_unreadable": (
        "YAML 无法读取：文字里有无效的字符",
        "the YAML cannot be read: the text contains invalid characters",
    ),
    "yaml_tab": ("这一行用了制表符（Tab）缩进", "this line is indented with a tab"),
    "yaml_tab_hint": (
        "YAML 只能用空格缩进，请把 Tab 换成两个空格",
        "YAML only allows spaces; replace the tab with two spaces",
    ),
    "yaml_fullwidth": ("这一行有全角字符 “{char}”", "this line contains the full-width character '{char}'"),
    "yaml_fullwidth_hint": ("请改成半角的 “{replacement}”", "replace it with the ASCII '{replacement}'"),
    "yaml_tag": ("不允许使用 YAML 标签 “{tag}”", "YAML tag '{tag}' is not allowed"),
    "yaml_tag_hint": ("删去以 ! 开头的标签，直接写值", "remove the tag starting with '!' and write the value"),
    "yaml_alias": ("不允许使用 YAML 锚点和别名（& 与 *）", "YAML anchors and aliases (& and *) are not allowed"),
    "yaml_alias_hint": ("请直接写出值", "write the value out"),
    "yaml_duplicate_key": ("字段 “{field}” 重复出现", "field '{field}' appears twice"),
    "yaml_duplicate_key_hint": ("删去其中一个", "remove one of them"),
    "yaml_not_mapping": ("文件头（front matter）应是“字段: 值”的形式", "front matter must be a mapping of fields"),
    "frontmatter_unclosed": ("文件头以 --- 开始，但没有结束的 ---", "front matter starts with --- but is never closed"),
    "frontmatter_unclosed_hint": ("在文件头的最后一个字段下面加一行 ---", "add a line with --- after the last field"),
    "frontmatter_missing": ("文件没有文件头（front matter）", "the file has no front matter"),
    "frontmatter_missing_hint": (
        "在文件开头加上以 --- 包围的字段，例如 title 和 date",
        "start the file with fields between --- lines, such as title and date",
    ),
    "empty_file": ("文件是空的", "the file is empty"),
    # fields
    "unknown_field": ("未知的字段 “{field}”", "unknown field '{field}'"),
    "unknown_field_hint_extra": (
        "自定义字段请放在 extra: 下面",
        "put custom fields under extra:",
    ),
    "bad_date": ("日期 “{value}” 无效", "invalid date '{value}'"),
    "bad_date_hint": ("请写成 2024-03-15 或 2024-03-15 14:30 的形式", "write it as 2024-03-15 or 2024-03-15 14:30"),
    # A date written in the right form that names a day or time the calendar does not have.
    "date_no_month": ("日期不存在：一年没有{month}月", "no such date: there is no month {month}"),
    "date_no_month_hint": (
        "月份是 1–12；日期按“年-月-日”写，例如 2024-03-15",
        "months run from 1 to 12; write year-month-day, e.g. 2024-03-15",
    ),
    "date_no_day": ("日期不存在：{year}年{month}月没有{day}日", "no such date: {year}-{month:02d} has no day {day}"),
    "date_no_day_hint": ("{year}年{month}月只有 {days} 天", "{year}-{month:02d} has {days} days"),
    "date_not_leap_hint": (
        "{year} 年不是闰年，2月只有 28 天",
        "{year} is not a leap year: February has 28 days",
    ),
    "date_no_hour": ("时间不存在：一天只有 0–23 点，没有{hour}点", "no such time: hours run from 0 to 23, not {hour}"),
    "date_no_minute": (
        "时间不存在：一小时只有 0–59 分，没有{minute}分",
        "no such time: minutes run from 0 to 59, not {minute}",
    ),
    "date_no_second": (
        "时间不存在：一分钟只有 0–59 秒，没有{second}秒",
        "no such time: seconds run from 0 to 59, not {second}",
    ),
    "date_time_hint": ("时间按 24 小时制写，例如 2024-03-15 14:30", "use the 24-hour clock, e.g. 2024-03-15 14:30"),
    "date_bad_offset": ("时差 “{offset}” 不存在", "no such time zone offset '{offset}'"),
    "date_bad_offset_hint": (
        "写成 +08:00 这样的形式；不写时差时按站点的时区计算",
        "write it like +08:00, or leave it out to use the site's time zone",
    ),
    "bad_number": ("期号 “{value}” 应为正整数", "issue number '{value}' must be a positive whole number"),
    "bad_number_hint": ("例如 number: 3 表示第3期", "for example number: 3 for issue No. 3"),
    "bad_bool": ("“{field}” 的值 “{value}” 应为 true 或 false", "'{field}' must be true or false, not '{value}'"),
    "bad_slug": (
        "slug “{value}” 只能包含小写英文字母、数字和连字符",
        "slug '{value}' may only contain lower-case letters, digits and hyphens",
    ),
    "unknown_track": ("未知的赛道 “{value}”，可选：{choices}", "unknown track '{value}'; choose one of: {choices}"),
    "empty_value": ("字段 “{field}” 是空的", "field '{field}' is empty"),
    "both_author_fields": ("不能同时写 author 和 authors", "use either author or authors, not both"),
    "both_author_fields_hint": ("只保留其中一个", "keep only one of them"),
    "duplicate_number": ("期号 {value} 重复：{other} 也是第{value}期", "issue number {value} is also used by {other}"),
    "duplicate_number_hint": ("每一期的 number 必须不同", "each issue needs its own number"),
    "missing_issue": (
        "“issue: {value}” 指向的第{value}期不存在",
        "issue: {value} refers to an issue that does not exist",
    ),
    "missing_issue_hint": ("现有的期号：{choices}", "existing issue numbers: {choices}"),
    "duplicate_url": ("网址 {url} 与 {other} 重复", "URL {url} is also produced by {other}"),
    "duplicate_url_hint": (
        "给其中一篇改文件名，或在文件头写不同的 slug",
        "rename one of the files or give it a different slug",
    ),
    # encoding
    "encoding_guessed": ("文件编码是 {encoding}，不是 UTF-8", "the file is encoded as {encoding}, not UTF-8"),
    "encoding_guessed_hint": (
        "已按 {encoding} 读取；请用“另存为”选择 UTF-8 编码保存",
        'read as {encoding}; re-save it as UTF-8 ("Save as" → UTF-8)',
    ),
    "not_text": ("这不是文本文件，无法读取", "this is not a text file"),
    "not_text_hint": ("Markdown 文件应为 UTF-8 文本；图片等文件请改用相应扩展名", "Markdown files must be UTF-8 text"),
    "unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "too_large": ("文件太大（{size} MB），上限为 {limit} MB", "the file is too large ({size} MB; limit {limit} MB)"),
    "too_large_hint": ("请把内容拆成几篇", "split it into several documents"),
    # markup
    "broken_link": ("链接指向不存在的文件 “{target}”", "link to a missing file '{target}'"),
    "broken_link_hint": ("检查文件名和相对路径是否正确", "check the file name and relative path"),
    "missing_image": ("图片 “{target}” 不存在", "image '{target}' does not exist"),
    "missing_image_hint": (
        "把图片放进 content/ 下，并用相对路径引用",
        "put the image under content/ and use a relative path",
    ),
    "absolute_path": (
        "图片或链接用了本机的绝对路径 “{target}”",
        "image or link uses an absolute local path '{target}'",
    ),
    "absolute_path_hint": (
        "把文件复制到 content/ 下（例如 content/images/），再写相对路径，如 ../images/{name}",
        "copy the file under content/ (e.g. content/images/) and use a relative path like ../images/{name}",
    ),
    "too_deep": ("内容嵌套过深（超过 {limit} 层）", "content is nested too deeply (more than {limit} levels)"),
    "too_deep_hint": ("请减少列表或引用的嵌套层数", "reduce the nesting of lists or quotes"),
    "too_long": ("正文太长，排版要花的时间太久", "the text is so long that rendering it would take too long"),
    "too_long_hint": ("请把内容拆成几篇", "split it into several documents"),
    "too_complex": (
        "这一段的 Markdown 标记太多，排版会慢得无法完成",
        "this passage has so much Markdown markup that rendering it would take too long",
    ),
    "too_complex_hint": (
        "检查是否有没配对的 [ 或 <，或用空行把很长的段落拆开",
        "look for an unmatched [ or <, or split the long passage with blank lines",
    ),
    # templates
    "template_syntax": ("模板语法错误：{reason}", "template syntax error: {reason}"),
    "template_undefined": ("模板用到了未定义的变量：{reason}", "template uses an undefined value: {reason}"),
    "template_missing": (
        "找不到模板 “{name}”，查找过：{searched}",
        "template '{name}' not found; looked in: {searched}",
    ),
    "template_error": ("模板渲染出错：{reason}", "error while rendering the template: {reason}"),
    # output
    "unsafe_output": ("不能把输出目录设为 {path}：{reason}", "refusing to use {path} as the output folder: {reason}"),
    "unsafe_output_hint": (
        "请使用单独的目录，例如站点下的 output/",
        "use a folder of its own, such as output/ in the site",
    ),
    "output_is_site": ("这是站点根目录", "it is the site root"),
    "output_is_content": ("这是内容目录", "it holds the content"),
    "output_is_themes": ("这是主题目录", "it holds the themes"),
    "output_is_parent": ("这是站点的上级目录", "it is a parent of the site"),
    "output_is_home": ("这是用户主目录", "it is the home folder"),
    "output_not_folder": (
        "{path} 是一个文件，不是目录，没有改动任何文件",
        "{path} is a file, not a folder; nothing was changed",
    ),
    "output_not_folder_hint": ("请用 --output 指定一个目录", "pass a folder to --output"),
    "output_foreign": (
        "输出目录 {path} 里已有文件，但不是 chaowen 生成的（没有 {manifest}），没有改动任何文件",
        "the output folder {path} holds files that chaowen did not write (it has no {manifest}); nothing was changed",
    ),
    "output_foreign_hint": (
        "chaowen 只删除或替换它自己生成的文件：请换一个空目录或新目录，或先把里面的文件移走；"
        "旧版 chaowen 生成的目录可以整个删除后重新生成",
        "chaowen only deletes or replaces files it wrote: choose an empty or new folder, or move the files away;"
        " a folder written by an older chaowen can be deleted and built again",
    ),
    "output_manifest_bad": (
        "输出目录 {path} 里的 {manifest} 已损坏，无法确定哪些文件是 chaowen 生成的，没有改动任何文件",
        "the {manifest} in the output folder {path} is damaged: which files chaowen wrote is unknown;"
        " nothing was changed",
    ),
    "output_manifest_bad_hint": (
        "请换一个空目录或新目录，或先把里面的文件移走",
        "choose an empty or new folder, or move the files away",
    ),
    "output_collision": (
        "{path} 不是 chaowen 生成的，但生成的网站要写入这个位置，没有改动任何文件",
        "{path} was not written by chaowen, but the site has a file at that place; nothing was changed",
    ),
    "output_collision_hint": (
        "请把它移走或改名，或换一个输出目录",
        "move or rename it, or choose another output folder",
    ),
    "output_foreign_kept": (
        "，保留了 {count} 个非 chaowen 生成的文件或文件夹",
        "; kept {count} files or folders chaowen did not write",
    ),
    "theme_missing": ("找不到主题 “{name}”", "theme '{name}' not found"),
    "theme_missing_hint": ("查找过：{searched}", "looked in: {searched}"),
    # search index
    "search_missing": ("找不到 Pagefind，无法建立搜索索引", "Pagefind not found: cannot build the search index"),
    "search_failed": ("建立搜索索引失败：{reason}", "building the search index failed: {reason}"),
    "search_hint": (
        "请安装 pip install 'pagefind[extended]'（中文分词需要 extended 版本），或用 --no-search 跳过搜索",
        "install it with pip install 'pagefind[extended]' (Chinese needs the extended build), or pass --no-search",
    ),
    # scaffolds left in content, init/schema without a site
    "placeholder_left": (
        "正文里还留着新建文档时的占位文字 “{text}”",
        "the text still holds the placeholder '{text}' that chaowen new wrote",
    ),
    "placeholder_left_hint": (
        "换成真正的正文，或删去这一行，否则它会被发布",
        "replace it with the real text or delete the line, or it gets published",
    ),
    "title_repeats_number": (
        "标题 “{title}” 重复了期号：页面上显示为 “{shown}”",
        "the title '{title}' repeats the issue number: it is shown as '{shown}'",
    ),
    "title_repeats_number_hint": (
        "期号会自动显示在标题前面，标题只写本期的主题即可",
        "the number is shown before the title anyway; the title need only name the issue's theme",
    ),
    # check
    "broken_page_link": (
        "链接 “{target}” 指向的页面或文件不存在",
        "link '{target}' points to a page or file that does not exist",
    ),
    "broken_anchor": (
        "链接 “{target}” 指向的页面上没有锚点 “#{fragment}”",
        "link '{target}': the page it points to has no anchor '#{fragment}'",
    ),
    "broken_anchor_hint": (
        "标题的锚点就是标题文字（如 #收获）；检查 # 后面的写法是否和标题一致",
        "a heading's anchor is its text (e.g. #results); check the part after # matches the heading",
    ),
    "outside_base": (
        "链接 “{target}” 不在站点网址 {base} 之下，发布后会失效",
        "link '{target}' is outside the site's base path {base} and will break once published",
    ),
    "outside_base_hint": (
        "站内文章请用相对路径链接 Markdown 文件，例如 ../essays/文件名.md",
        "link to other documents by their relative Markdown path, e.g. ../essays/name.md",
    ),
    "also_on_pages": ("另有 {count} 个页面也有这个链接", "{count} more pages have the same link"),
    "template_link_hint": (
        "这个链接来自模板 {template} 或它引用的模板，不在正文里",
        "the link comes from the template {template} or one it uses, not from a document",
    ),
    # two sentences about one thing (a hint and what else is known)
    "and_then": ("{first}；{then}", "{first}; {then}"),
    # front matter: names of characters, values of other messages
    "char_fullwidth_space": ("全角空格", "U+3000 IDEOGRAPHIC SPACE"),
    "char_space": ("空格", " "),
    # search index (search.py)
    "search_engine_changed": (
        "这个版本的 Pagefind 的 pagefind.js 与 chaowen 的搜索页不配套（缺少 PagefindInstance）",
        "this Pagefind's pagefind.js does not fit chaowen's search page (it has no PagefindInstance)",
    ),
    # print edition (printing/, the print: section of chaowen.yaml)
    "config_print_paper": ("不支持的纸张 “{value}”", "unsupported paper size '{value}'"),
    "config_print_paper_hint": ("印刷版的纸张可选 A4 或 A5", "the print edition's paper is A4 or A5"),
    "config_print_margins": ("页边距 “{value}” 无效", "invalid margins '{value}'"),
    "config_print_margins_hint": (
        "写一到四个长度，用空格分开，单位 mm、cm、in 或 pt，例如 20mm 18mm",
        "one to four lengths separated by spaces, in mm, cm, in or pt, e.g. 20mm 18mm",
    ),
    "print_missing_glyphs": (
        "第{number}期印刷版里有字体中没有的字符，印出来是方框：{characters}",
        "the print edition of issue {number} has characters no font can draw (printed as boxes): {characters}",
    ),
    "print_missing_glyphs_hint": (
        "换成常用字符，或安装含有这些字符的字体（例如 fonts-noto-cjk、fonts-noto-color-emoji）",
        "use common characters, or install a font that has them (e.g. fonts-noto-cjk, fonts-noto-color-emoji)",
    ),
}
