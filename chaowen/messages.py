"""The one catalogue of editor-facing messages, in Chinese and English.

Stages never write message text inline: they call :func:`text` with a key and
the values to fill in, so every message exists in both languages and reads the
same way wherever it is raised. A ``zh-*`` site gets Chinese, anything else English.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

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
    "config_duplicate_track": ("赛道 “{value}” 重复定义", "track '{value}' is defined twice"),
    "config_no_tracks": ("至少需要定义一个赛道（tracks）", "at least one track must be defined"),
    "expected_text": ("应为文字", "expected text"),
    "expected_int": ("应为正整数", "expected a positive whole number"),
    "expected_list": ("应为列表", "expected a list"),
    "expected_mapping": ("应为“键: 值”的形式", "expected a mapping"),
    "expected_bool": ("应为 true 或 false", "expected true or false"),
    "missing_field": ("缺少必填字段 “{field}”", "missing required field '{field}'"),
    "missing_field_hint": ("在文件头加上 {example}", "add {example} to the front matter"),
    # yaml / front matter
    "yaml_error": ("YAML 格式错误：{reason}", "YAML syntax error: {reason}"),
    "yaml_error_hint": (
        "检查这一行的冒号、缩进和引号；值里含有冒号或 # 时请用引号括起来",
        "check the colons, indentation and quotes on this line; quote values that contain ':' or '#'",
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
    "init_done": (
        '新站点已建好。下一步：\n  cd {path}\n  chaowen new essay "标题" --track 智能物联 --author 姓名\n  chaowen check\n  chaowen build',
        'The new site is ready. Next:\n  cd {path}\n  chaowen new essay "Title" --track iot --author Name\n  chaowen check\n  chaowen build',
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
}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each catalogue template as a pattern (placeholders match anything), English ones first."""
    found: list[tuple[re.Pattern[str], str]] = []
    for index, language in ((1, "en"), (0, "zh-CN")):
        for texts in CATALOGUE.values():
            parts = re.split(r"\{[^{}]*\}", texts[index])
            if any(part.strip() for part in parts):
                found.append((re.compile("(?s)" + ".*".join(re.escape(part) for part in parts)), language))
    return tuple(found)


def language_of(message: str) -> str | None:
    """The language of a message made from the catalogue (``en`` or ``zh-CN``); None when it is not one."""
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


def join_choices(choices: list[str] | tuple[str, ...], language: str) -> str:
    return ("、" if is_chinese(language) else ", ").join(choices)
