"""The one catalogue of editor-facing messages, in Chinese and English.

Stages never write message text inline: they call :func:`text` with a key and
the values to fill in, so every message exists in both languages and reads the
same way wherever it is raised. A ``zh-*`` site gets Chinese, anything else English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Union

# key -> (Chinese, English). Placeholders use str.format names.
CATALOGUE: Final[dict[str, tuple[str, str]]] = {
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
    # command line
    "built": (
        "完成：生成 {pages} 个页面（{files} 个文件，其中 {written} 个有变化），{warnings} 个警告，用时 {seconds:.2f} 秒",
        "done: {pages} pages ({files} files, {written} changed), {warnings} warnings, {seconds:.2f} s",
    ),
    "failed": (
        "构建失败：{errors} 个错误，{warnings} 个警告；output/ 保持原样",
        "build failed: {errors} errors, {warnings} warnings; output/ left as it was",
    ),
    "label_error": ("错误", "error:"),
    "label_warning": ("警告", "warning:"),
    "checked": ("检查完成：{errors} 个错误，{warnings} 个警告", "check done: {errors} errors, {warnings} warnings"),
    "stage_content": ("读取内容", "reading content"),
    "stage_markdown": ("转换 Markdown", "rendering Markdown"),
    "stage_render": ("生成页面", "rendering pages"),
    "stage_search": ("建立搜索索引", "indexing for search"),
    "built_search": (
        "（搜索索引：{pages} 篇，{size} KB，用时 {seconds:.2f} 秒）",
        " (search index: {pages} pages, {size} KB, {seconds:.2f} s)",
    ),
    "io_error": ("写入失败：{reason}", "cannot write: {reason}"),
    # command line: click's usage errors and help pages (usage.py), in the site's language
    "usage": ("用法：{usage}", "Usage: {usage}"),
    "usage_options": ("[选项]", "[OPTIONS]"),
    "usage_command": ("命令 [参数]...", "COMMAND [ARGS]..."),
    "usage_arguments_heading": ("参数：", "Arguments:"),
    "usage_options_heading": ("选项：", "Options:"),
    "usage_commands_heading": ("命令：", "Commands:"),
    "usage_try_help": ("运行 {command} -h 查看帮助。", "Run '{command} -h' for help."),
    "usage_missing": ("缺少{param}", "missing {param}"),
    "usage_invalid": ("{param}：{reason}", "{param}: {reason}"),
    "usage_bad_value": ("值无效", "invalid value"),
    "usage_bad_choice": ("“{value}” 不是可选的值，可选：{choices}", "'{value}' is not one of: {choices}"),
    "usage_bad_number": ("“{value}” 应为{bounds}的整数", "'{value}' must be a whole number {bounds}"),
    "usage_at_least": ("不小于 {min} ", "of at least {min}"),
    "usage_between": ("在 {min} 到 {max} 之间", "from {min} to {max}"),
    "usage_not_a_folder": ("“{value}” 是一个文件，这里要的是目录", "'{value}' is a file, not a folder"),
    "usage_no_such_option": ("没有 {option} 这个选项", "no such option: {option}"),
    "usage_no_such_command": ("没有 “{name}” 这个命令", "no such command '{name}'"),
    "usage_commands": ("可用的命令：{choices}", "commands: {choices}"),
    "usage_missing_command": ("缺少命令", "missing command"),
    "usage_flag_value": ("{option} 是开关，后面不能跟值", "{option} is a switch and takes no value"),
    "usage_needs_value": ("{option} 后面要跟一个值（{metavar}）", "{option} needs a value ({metavar})"),
    "usage_extra_args": ("多出了参数：{args}", "unexpected extra arguments: {args}"),
    "usage_extra_args_hint": (
        '标题里有空格时请用引号括起来，例如 "参观 电池工厂"',
        'put a title with spaces in quotes, e.g. "A visit to the plant"',
    ),
    "usage_error": ("命令行的写法有误", "invalid command line: {reason}"),
    "usage_aborted": ("已取消", "aborted"),
    "metavar_value": ("值", "VALUE"),
    "metavar_site": ("目录", "DIR"),
    "metavar_output": ("目录", "DIR"),
    "metavar_out": ("目录", "DIR"),
    "metavar_directory": ("目录", "DIR"),
    "metavar_base_url": ("网址", "URL"),
    "metavar_jobs": ("进程数", "N"),
    "metavar_title": ("标题", "TITLE"),
    "metavar_kind": ("类型", "KIND"),
    "metavar_track": ("赛道", "TRACK"),
    "metavar_author": ("姓名", "NAME"),
    "metavar_issue": ("期号", "N"),
    "metavar_host": ("地址", "HOST"),
    "metavar_port": ("端口", "PORT"),
    "help_main": (
        "潮闻 —— 交流期刊的静态网站生成器。",
        "潮闻 (chaowen): the static-site generator of an exchange journal.",
    ),
    "help_help": ("显示这段帮助并退出。", "Show this help and exit."),
    "help_version": ("显示版本号并退出。", "Show the version and exit."),
    "help_site": (
        "站点目录（含 chaowen.yaml），默认为当前目录。",
        "The site folder (with chaowen.yaml); the current folder by default.",
    ),
    "help_drafts": ("包含草稿和未来日期的文章。", "Include drafts and documents dated in the future."),
    "help_base_url": (
        "覆盖 chaowen.yaml 中的 base_url，例如 https://example.org/chaowen/。",
        "Override base_url of chaowen.yaml, e.g. https://example.org/chaowen/.",
    ),
    "help_build": ("生成网站到 output/。", "Build the site into output/."),
    "help_build_output": ("输出目录，默认为 站点/output。", "The output folder; SITE/output by default."),
    "help_build_clean": (
        "不复用上一次的输出，全部重新写入。",
        "Do not reuse the previous output; write everything afresh.",
    ),
    "help_build_strict": ("把警告当作错误。", "Treat warnings as errors."),
    "help_build_relative": (
        "生成相对链接，可直接打开文件浏览（离线拷贝）。",
        "Write relative links, so the files can be opened directly (an offline copy).",
    ),
    "help_build_jobs": (
        "并行进程数，默认为 CPU 核数；1 为单进程。",
        "Number of processes; the number of CPUs by default, 1 for a single process.",
    ),
    "help_build_no_cache": (
        "不读也不写构建缓存（站点/.chaowen-cache）。",
        "Neither read nor write the build cache (SITE/.chaowen-cache).",
    ),
    "help_build_no_search": (
        "不建立全文搜索索引（output/pagefind/）。",
        "Do not build the full-text search index (output/pagefind/).",
    ),
    "help_build_verbose": ("显示更多信息。", "Show more detail."),
    "help_build_quiet": ("只显示错误。", "Show errors only."),
    "help_init": (
        "新建一个站点：配置、内容目录和每种类型的一篇示例。\n目录默认为当前目录，可以不存在；已有的文件不会被覆盖。",
        "Create a site: settings, content folders and a sample of each kind.\n"
        "The folder (the current one by default) may not exist yet; existing files are never overwritten.",
    ),
    "help_init_directory": (
        "新站点的目录，默认为当前目录。",
        "The folder of the new site; the current one by default.",
    ),
    "help_init_title": ("站点标题，默认为“潮闻”。", "The site's title; 潮闻 by default."),
    "help_new": (
        "新建一篇 essay（心得）、minutes（沙龙纪要）、issue（期刊）或 page（页面），并显示文件路径。\n"
        "不会覆盖已有的文件。",
        "Create an essay, minutes, an issue or a page, and print its path.\nExisting files are never overwritten.",
    ),
    "help_new_kind": (
        "essay（心得）、minutes（沙龙纪要）、issue（期刊）或 page（页面）。",
        "essay, minutes, issue or page.",
    ),
    "help_new_title": ("标题；文件名取自标题的拼音。", "The title; the file is named after it."),
    "help_new_track": ("赛道：代号或中文名，例如 iot 或 智能物联。", "The track: its key or name, e.g. iot."),
    "help_new_author": ("作者（心得）或主持人（沙龙纪要）。", "The author (essay) or host (minutes)."),
    "help_new_issue": (
        "刊登于第几期；新建期刊时为期号（默认下一期）。",
        "The issue it appears in; for a new issue, its number (the next one by default).",
    ),
    "help_check": (
        "检查配置、内容、模板和站内链接、锚点、图片；不写入 output/。\n"
        "有错误时退出码为 1（加 --strict 时有警告也是 1），可用于持续集成。",
        "Check settings, content, templates and internal links, anchors and images; writes nothing.\n"
        "Exits with 1 on errors (and on warnings with --strict), for CI.",
    ),
    "help_check_strict": ("把警告也当作错误（退出码 1）。", "Treat warnings as errors too (exit code 1)."),
    "help_check_drafts": ("也检查草稿和未来日期的文章。", "Check drafts and documents dated in the future too."),
    "help_schema": (
        "输出文件头的 JSON Schema，供 VS Code 等编辑器补全和检查（见 README）。\n"
        "不写类型时输出全部类型（以类型为键）。在站点目录里运行时，赛道取自 chaowen.yaml。",
        "Print the JSON Schema of the front matter, for editors such as VS Code (see the README).\n"
        "Without KIND, all kinds keyed by kind. Inside a site, the tracks come from its chaowen.yaml.",
    ),
    "help_schema_kind": (
        "essay、minutes、issue 或 page；不写时输出全部类型。",
        "essay, minutes, issue or page; all kinds when left out.",
    ),
    "help_schema_out": (
        "把每种类型写成 目录/类型.schema.json，而不是输出到屏幕。",
        "Write each kind to DIR/KIND.schema.json instead of printing.",
    ),
    "help_serve": (
        "预览网站：保存文件后，浏览器中的页面自动更新。",
        "Preview the site: open pages update when you save a file.",
    ),
    "help_serve_host": (
        "监听的地址，默认为 127.0.0.1；0.0.0.0 让同一网络中的其他电脑也能访问。",
        "The address to listen on, 127.0.0.1 by default; 0.0.0.0 lets other computers on the network in.",
    ),
    "help_serve_port": (
        "端口，默认为 8000；被占用时自动改用下一个。",
        "The port, 8000 by default; the next free one if taken.",
    ),
    "help_serve_open_browser": ("启动后在浏览器中打开预览。", "Open the preview in a browser once it runs."),
    "help_serve_no_search": (
        "不建立搜索索引（大型站点启动更快）。索引只在启动时建立一次。",
        "Do not build the search index (faster start for big sites). It is built once, at start.",
    ),
    "help_serve_verbose": ("显示每次变化的文件和每个请求。", "Show each changed file and each request."),
    # init / new
    "site_exists": (
        "{path} 已经是一个站点（里面有 chaowen.yaml），没有改动任何文件",
        "{path} is already a site (it has chaowen.yaml); nothing was changed",
    ),
    "site_exists_hint": (
        "换一个新目录，或在这个站点里用 chaowen new 添加内容",
        "choose a new folder, or add content to this site with chaowen new",
    ),
    "created": ("已创建 {path}", "created {path}"),
    "kept": ("已存在，保留原样：{path}", "already there, left as it was: {path}"),
    "init_done": ("新站点已建好。下一步：", "The new site is ready. Next:"),
    "init_next": (
        '  chaowen new essay "标题" --track 智能物联 --author 姓名\n  chaowen check\n  chaowen build',
        '  chaowen new essay "Title" --track iot --author Name\n  chaowen check\n  chaowen build',
    ),
    "file_exists": ("文件已存在，没有覆盖：{path}", "the file already exists and was left alone: {path}"),
    "file_exists_hint": (
        "换一个标题，或直接编辑这个文件",
        "choose another title, or edit that file",
    ),
    "option_not_for_kind": ("{kind}没有 --{option} 这一项", "--{option} does not apply to {kind}"),
    "new_required": ("必填：{what}", "required: {what}"),
    "new_optional": ("可选：{what}", "optional: {what}"),
    "new_body": ("正文从这里开始。", "The text starts here."),
    "unwritable": ("无法创建 {path}：{reason}", "cannot create {path}: {reason}"),
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
    # schema
    "schema_written": ("已写入 {path}", "wrote {path}"),
    "unknown_kind": ("未知的类型 “{value}”，可选：{choices}", "unknown kind '{value}'; choose one of: {choices}"),
    # serve: the terminal
    "serve_building": ("正在生成预览……", "building the preview…"),
    "serve_ready": (
        "预览地址：{url}  （保存文件后浏览器会自动更新；按 Ctrl-C 停止）",
        "preview at {url}  (pages update when you save; Ctrl-C stops)",
    ),
    "serve_port_busy": ("端口 {port} 已被占用，改用端口 {next}", "port {port} is in use; using port {next} instead"),
    "serve_no_port": (
        "无法在 {host} 上启动预览：端口 {first}–{last} 都已被占用或不可用",
        "cannot start the preview on {host}: ports {first}–{last} are all in use or unavailable",
    ),
    "serve_bind_failed": (
        "无法在 {host}:{port} 上启动预览：{reason}",
        "cannot start the preview on {host}:{port}: {reason}",
    ),
    "serve_bind_hint": (
        "请检查 --host 是否是本机的地址，或用 --port 换一个端口",
        "check that --host is an address of this computer, or choose another --port",
    ),
    "serve_public": (
        "注意：预览绑定在 {host}，同一网络中的其他电脑也能打开它（包括草稿）。只在本机预览请去掉 --host",
        "note: the preview listens on {host}, so other computers on the network can open it (drafts included); "
        "drop --host to keep it to this computer",
    ),
    "serve_preview_dir": ("预览文件夹：{path}", "preview folder: {path}"),
    "serve_changes": ("变化：{paths}", "changed: {paths}"),
    "serve_rebuilt": (
        "已更新：{written} 个文件有变化，用时 {seconds:.2f} 秒",
        "updated: {written} files changed in {seconds:.2f} s",
    ),
    "serve_fixed": (
        "错误已修正，页面已更新，用时 {seconds:.2f} 秒",
        "fixed: the preview is up to date again ({seconds:.2f} s)",
    ),
    "serve_failed": (
        "构建失败：{errors} 个错误，{warnings} 个警告；浏览器中仍是上一次成功生成的页面",
        "build failed: {errors} errors, {warnings} warnings; the browser keeps the last good pages",
    ),
    "serve_internal_error": (
        "chaowen 内部出错（不是你的内容的问题），请把上面的信息发给维护者：{reason}",
        "internal error in chaowen (not a problem with your content); please report the text above: {reason}",
    ),
    "serve_stopped": ("预览已停止", "preview stopped"),
    # serve: the browser
    "serve_overlay_title": ("构建失败：{count} 个问题", "build failed: {count} problems"),
    "serve_overlay_note": (
        "改正后保存，页面会自动更新。下面仍是上一次成功生成的页面。",
        "Fix it and save: the page updates by itself. Below is the last page that built.",
    ),
    "serve_overlay_close": ("暂时隐藏", "hide"),
    "serve_place_line": ("{path} 第 {line} 行", "{path}, line {line}"),
    "serve_offline": ("预览服务已断开，正在重新连接……", "preview server gone; reconnecting…"),
    "serve_not_found": ("找不到这个页面", "page not found"),
    # serve: answers to requests the preview cannot serve (the text under the status line)
    "serve_http_400": ("请求的格式不对，预览服务器无法理解", "the request is malformed"),
    "serve_http_405": ("预览只接受 GET 和 HEAD 请求", "the preview answers GET and HEAD only"),
    "serve_http_414": ("网址太长", "the address is too long"),
    "serve_http_416": ("请求的范围超出了文件的大小", "the requested range is outside the file"),
    "serve_http_431": ("请求头太长或太多", "the request headers are too long or too many"),
    "serve_http_500": (
        "预览服务器内部出错（不是你的内容的问题）；用 -v 运行可在终端看到详情",
        "internal error in the preview server (not a problem with your content); run with -v for details",
    ),
    "serve_http_505": ("不支持这个 HTTP 版本", "this HTTP version is not supported"),
    "serve_handler_error": (
        "预览服务器处理 {request} 时内部出错，已回答 500，继续服务：{reason}",
        "internal error in the preview server while answering {request}; answered 500, still serving: {reason}",
    ),
    # search index (search.py)
    "search_engine_changed": (
        "这个版本的 Pagefind 的 pagefind.js 与 chaowen 的搜索页不配套（缺少 PagefindInstance）",
        "this Pagefind's pagefind.js does not fit chaowen's search page (it has no PagefindInstance)",
    ),
}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each catalogue template as a pattern (placeholders match anything), the most specific first.

    A template's specificity is the length of its fixed text: a Chinese message that
    quotes ": " would otherwise fullmatch a short English template like "{param}: {reason}".
    """
    found: list[tuple[int, re.Pattern[str], str]] = []
    for index, language in ((1, "en"), (0, "zh-CN")):
        for texts in CATALOGUE.values():
            parts = re.split(r"\{[^{}]*\}", texts[index])
            if any(part.strip() for part in parts):
                pattern = re.compile("(?s)" + ".*".join(re.escape(part) for part in parts))
                found.append((sum(len(part) for part in parts), pattern, language))
    found.sort(key=lambda item: -item[0])
    return tuple((pattern, language) for _, pattern, language in found)


def language_of(message: str) -> str | None:
    """The language of a message made from the catalogue (``en`` or ``zh-CN``); None when it is not one.

    Prefer knowing the language (:meth:`errors.Problem.format` takes it); this is the fallback.
    """
    for pattern, language in _patterns():
        if pattern.fullmatch(message):
            return language
    return None


def is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def text(key: str, language: str = "zh-CN", /, **values: object) -> str:
    """The message ``key`` in the site's language, with ``values`` filled in."""
    zh, en = CATALOGUE[key]
    template = zh if is_chinese(language) else en
    return template.format(**values) if values else template


Value = Union[str, int, "Text", tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Text:
    """A message not yet worded: a catalogue key and the values to fill in.

    Stages return problems as ``Text`` values; the words, in the site's language,
    are chosen once, where problems are reported (:meth:`errors.Problem.format`).
    A value may itself be a ``Text`` (a reason inside a message) or a tuple of
    choices, which is joined the way the language lists things (``、`` or ``, ``).
    """

    key: str
    values: tuple[tuple[str, Value], ...] = ()

    def __post_init__(self) -> None:
        if self.key not in CATALOGUE:
            raise KeyError(f"no message {self.key!r} in the catalogue")

    def render(self, language: str) -> str:
        zh, en = CATALOGUE[self.key]
        template = zh if is_chinese(language) else en
        if not self.values:
            return template
        return template.format(**{name: _render_value(value, language) for name, value in self.values})

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "values": [[name, _value_to_json(value)] for name, value in self.values]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Text:
        return cls(str(data["key"]), tuple((str(name), _value_from_json(value)) for name, value in data["values"]))


def say(key: str, /, **values: object) -> Text:
    """The message ``key`` with ``values``, to be worded later in the site's language.

    Lists become tuples (joined per language when worded); other values that are not
    text, numbers or messages are kept as their ``str``.
    """
    return Text(key, tuple((name, _value(value)) for name, value in values.items()))


def _value(value: object) -> Value:
    if isinstance(value, (str, int, Text)) and not isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(str(item) for item in value)
    return str(value)


def _render_value(value: Value, language: str) -> object:
    if isinstance(value, Text):
        return value.render(language)
    if isinstance(value, tuple):
        return join_choices(value, language)
    return value


def _value_to_json(value: Value) -> Any:
    if isinstance(value, Text):
        return {"text": value.to_json()}
    if isinstance(value, tuple):
        return {"choices": list(value)}
    return value


def _value_from_json(data: Any) -> Value:
    if isinstance(data, dict):
        if "text" in data:
            return Text.from_json(data["text"])
        return tuple(str(item) for item in data["choices"])
    if isinstance(data, (str, int)):
        return data
    raise ValueError(f"not a message value: {data!r}")


def join_choices(choices: list[str] | tuple[str, ...], language: str) -> str:
    return ("、" if is_chinese(language) else ", ").join(choices)
