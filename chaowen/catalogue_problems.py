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
    # images (issue 14: images.py, pictures.py, the images: config section)
    "image_no_alt": ("图片 “{image}” 没有替代文字（alt）", "image '{image}' has no alt text"),
    "image_no_alt_hint": (
        "在方括号里写一句图片内容，如 ![调研现场的生产线](图片.jpg)；读屏软件和图片加载失败时会读到它",
        "describe the image inside the brackets, e.g. ![the production line](photo.jpg); screen readers read it",
    ),
    "image_corrupt": ("图片 {image} 已损坏或不是图片文件", "image {image} is damaged or not an image"),
    "image_corrupt_hint": (
        "用看图软件打开 {image} 并重新导出为 JPEG 或 PNG，再替换它",
        "open {image} in an image viewer, export it again as JPEG or PNG and replace it",
    ),
    "image_truncated": ("图片 {image} 不完整（文件被截断）", "image {image} is incomplete (the file is truncated)"),
    "image_truncated_hint": (
        "文件可能没有下载或拷贝完整：从原始来源重新拷贝 {image}",
        "the file was probably not copied completely: copy {image} again from where it came from",
    ),
    "image_wrong_type": (
        "图片 {image} 的扩展名与内容不符：它实际是 {detail} 格式",
        "image {image} has the wrong extension: it is really a {detail} file",
    ),
    "image_wrong_type_hint": (
        "把 {image} 改成与格式相符的扩展名（JPEG 用 .jpg，PNG 用 .png，WebP 用 .webp），并修改引用它的地方",
        "rename {image} to the extension of its format (.jpg, .png, .webp) and update where it is used",
    ),
    "image_bomb": (
        "图片 {image} 的像素太多，超过安全上限，不予处理",
        "image {image} has too many pixels, above the safety limit; it is not processed",
    ),
    "image_bomb_hint": (
        "把 {image} 缩小到长边 6000 像素以内再放进来（{detail}）",
        "shrink {image} to at most 6000 pixels on its long side ({detail})",
    ),
    "image_unreadable": ("无法读取图片 {image}", "cannot read image {image}"),
    "image_unreadable_hint": (
        "检查 {image} 是否存在、是否有读取权限",
        "check that {image} exists and can be read",
    ),
    "config_images_widths": (
        "images.widths 应为 1 到 8 个 16~8000 之间的整数，如 [480, 960, 1600]",
        "images.widths must be 1 to 8 whole numbers between 16 and 8000, e.g. [480, 960, 1600]",
    ),
    "config_images_quality": ("images.quality 应为 1~100 之间的整数", "images.quality must be a whole number 1-100"),
    "config_images_formats": (
        "images.formats 只能包含 {choices}",
        "images.formats may only contain {choices}",
    ),
    # chaowen import (importer.py, wordfile.py, pandoc.py): Word files that cannot be imported, and what was lost
    "import_old_format": (
        "这是旧版 Word（.doc）或 WPS（.wps）格式，无法导入",
        "this is an old Word (.doc) or WPS (.wps) file, which cannot be imported",
    ),
    "import_old_format_hint": (
        "请在 Word 或 WPS 里打开它，用“另存为”保存成 .docx 格式后再导入",
        "open it in Word or WPS and use Save As to save it as .docx, then import that",
    ),
    "import_encrypted": ("文件设了打开密码，无法读取", "the file is protected by a password and cannot be read"),
    "import_encrypted_hint": (
        "请在 Word 或 WPS 里打开它，去掉密码（文件 → 信息 → 保护文档）后另存一份再导入",
        "open it in Word or WPS, remove the password (File > Info > Protect Document), save a copy and import that",
    ),
    "import_corrupt": ("文件已损坏，读不出内容", "the file is damaged and cannot be read"),
    "import_corrupt_hint": (
        "请在 Word 或 WPS 里打开它（必要时用“打开并修复”），另存为新的 .docx 后再导入；或者请作者重新发送",
        "open it in Word or WPS (Open and Repair if needed) and save it as a new .docx, or ask the author to send it again",
    ),
    "import_empty_file": ("文件是空的（0 字节）", "the file is empty (0 bytes)"),
    "import_empty_file_hint": (
        "可能是传输没有完成，请作者重新发送",
        "it was probably not copied completely; ask the author to send it again",
    ),
    "import_no_text": ("文档里没有任何文字、图片或表格", "the document has no text, picture or table at all"),
    "import_no_text_hint": (
        "检查是不是发错了文件，或者正文是不是放在了页眉里",
        "check that this is the right file, and that the text is not in a page header",
    ),
    "import_not_word": ("这不是 Word 文档（.docx）", "this is not a Word document (.docx)"),
    "import_not_word_hint": (
        "只能导入 Word 或 WPS 保存的 .docx 文件；其他格式请先在 Word 或 WPS 里另存为 .docx",
        "only .docx files saved by Word or WPS can be imported; save other formats as .docx first",
    ),
    "import_unreadable": ("无法读取文件：{reason}", "cannot read the file: {reason}"),
    "import_missing_file": ("找不到这个文件", "no such file"),
    "import_missing_file_hint": ("检查文件名和路径是否写对", "check the file name and its folder"),
    "import_empty_folder": ("文件夹里没有 .docx 文件", "the folder has no .docx file"),
    "import_empty_folder_hint": ("把要导入的 Word 文档放进这个文件夹", "put the Word documents to import in it"),
    "import_engine_missing": (
        "导入 Word 文档需要 pandoc，但没有找到",
        "importing Word documents needs pandoc, which was not found",
    ),
    "import_engine_old": (
        "找到的 pandoc 版本是 {version}，太旧了（需要 3.0 以上）",
        "the pandoc found is version {version}, too old (3.0 or newer is needed)",
    ),
    "import_engine_hint": (
        "请运行 {command} 安装（自带 pandoc）",
        "install it with {command} (it brings pandoc along)",
    ),
    "import_engine_failed": ("pandoc 无法转换这个文件：{reason}", "pandoc could not convert the file: {reason}"),
    "import_where": ("第 {paragraph} 段（“{snippet}”）", "paragraph {paragraph} ('{snippet}')"),
    "import_where_after": ("第 {paragraph} 段（在“{snippet}”之后）", "paragraph {paragraph} (after '{snippet}')"),
    "import_lost_textbox": (
        "{where}里有文本框，其中的文字（“{detail}”）已放到这一段之后",
        "{where} has a text box; its text ('{detail}') now follows that paragraph",
    ),
    "import_lost_textbox_hint": ("核对这段文字的位置是否合适", "check that the text reads well where it is"),
    "import_lost_smartart": (
        "{where}里有 SmartArt 图形，无法导入，已略去",
        "{where} has a SmartArt graphic, which cannot be imported and was left out",
    ),
    "import_lost_smartart_hint": (
        "在 Word 里把它截图或另存为图片，再用 ![说明](图片文件) 插入",
        "take a picture of it in Word and insert it with ![description](file)",
    ),
    "import_lost_equation": (
        "{where}里有公式，已按 LaTeX 写法保留为代码，网页上不会排版",
        "{where} has an equation, kept as LaTeX code; the page will not typeset it",
    ),
    "import_lost_equation_hint": (
        "简单的公式可以改成文字，复杂的请在 Word 里截图后作为图片插入",
        "write a simple one as text, or insert a picture of it taken in Word",
    ),
    "import_lost_comment": ("{where}有批注，批注没有导入", "{where} has comments, which were not imported"),
    "import_lost_comment_hint": (
        "如果批注里有要采纳的修改意见，请在导入后的文件里改好",
        "if a comment asks for a change, make it in the imported file",
    ),
    "import_lost_revision": (
        "{where}有没有接受的修订，已按“接受全部修订”导入",
        "{where} has tracked changes not yet accepted; they were imported as if accepted",
    ),
    "import_lost_revision_hint": (
        "对照 Word 里的修订检查这一段；不想要的修改请在导入后的文件里改回",
        "compare the paragraph with the changes in Word and undo any you do not want",
    ),
    "import_lost_object": (
        "{where}里有嵌入的对象（如 Excel 表格或图表），无法导入，已略去",
        "{where} has an embedded object (such as a spreadsheet or chart), which cannot be imported and was left out",
    ),
    "import_lost_object_hint": (
        "把表格复制成 Word 表格，或把图表另存为图片后插入",
        "paste the data as a Word table, or save the chart as a picture and insert it",
    ),
    "import_lost_image_format": (
        "{where}里的图片 {detail} 是网页无法显示的格式（如 EMF、WMF），已略去",
        "{where} has the picture {detail} in a format browsers cannot show (such as EMF or WMF); it was left out",
    ),
    "import_lost_image_format_hint": (
        "在 Word 里右键图片“另存为图片”，保存成 PNG 后放进文章的图片文件夹，用 ![说明](文件名.png) 插入",
        "in Word, right-click the picture, save it as PNG into the document's picture folder and insert it",
    ),
    "import_lost_contents": (
        "{where}起是 Word 生成的目录，已去掉：网页会按标题自动生成目录",
        "{where} starts a table of contents made by Word; it was left out, as the page makes its own from the headings",
    ),
    "import_lost_contents_hint": (
        "不用处理；如果正文的标题没有用“标题”样式，检查导入后的标题是否完整",
        "nothing to do; if the headings were not in heading styles, check that they were all found",
    ),
    "import_bad_date": (
        "纪要开头写的时间 {value} 不是有效的日期，日期用了今天",
        "the time the minutes give, {value}, is not a valid date; today was used",
    ),
    "import_bad_date_hint": ("在导入后的文件里改 date", "correct date in the imported file"),
    "import_image_missing": (
        "图片 {name} 没能取出，已略去",
        "the picture {name} could not be extracted and was left out",
    ),
    "import_image_missing_hint": (
        "在 Word 里把这张图片另存下来，放进文章的图片文件夹后插入",
        "save the picture from Word into the document's picture folder and insert it",
    ),
    "import_title_from_file": (
        "文档里找不到标题，已用文件名 “{title}” 作标题",
        "the document has no title, so its file name '{title}' became the title",
    ),
    "import_title_from_file_hint": (
        "在导入后的文件里改 title；以后可以让作者把标题设成 Word 的“标题”样式",
        "change title in the imported file; Word's Title style makes the title clear",
    ),
    "import_track_required": (
        "导入{kind}需要指定赛道，可选：{choices}",
        "importing as {kind} needs a track, one of: {choices}",
    ),
    "import_track_required_hint": (
        "加上 --track，例如 --track 智能物联",
        "add --track, e.g. --track iot",
    ),
    "import_no_author": (
        "找不到作者：标题下面没有署名行，文档属性里也只有机器名",
        "no author found: there is no byline under the title and the document property holds a machine name",
    ),
    "import_no_author_hint": (
        "用 --author 指定，例如 --author 张三；或者在标题下加一行“作者：张三（单位）”",
        "name one with --author, or add a byline such as '作者：张三（单位）' under the title",
    ),
    "import_author_from_property": (
        "正文没有署名行，作者取自文档属性：{author}",
        "there is no byline; the author comes from the document property: {author}",
    ),
    "import_author_from_property_hint": (
        "请核对；不对时用 --author 指定",
        "check it, or name the author with --author",
    ),
    "import_exists_hint": (
        "没有写入任何文件。换个标题（改 Word 里的标题），或者先把已有的文件移走",
        "nothing was written; change the title in Word, or move the existing file away first",
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
