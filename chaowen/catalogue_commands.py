"""The catalogue's half about the commands: what the terminal and the preview say.

Summaries, click's help pages and usage errors (:mod:`chaowen.usage`), ``init``,
``new`` and ``schema``, and the dev server's terminal lines, overlay and HTTP answers.
Keys are unique across both halves; :mod:`chaowen.messages` joins them into the one
``CATALOGUE`` and words them.
"""

from __future__ import annotations

from typing import Final

# key -> (Chinese, English). Placeholders use str.format names.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
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
    # chaowen import (the command line)
    "help_import": (
        "把 Word 文档（.docx）导入为 Markdown 文档，图片放在文档旁边的同名文件夹里。\n"
        "可以给多个文件，或一个文件夹（导入其中所有 .docx）。不会覆盖已有的文件。",
        "Import Word documents (.docx) as Markdown documents, their pictures in a folder beside each.\n"
        "Give files or a folder (every .docx in it). Existing files are never overwritten.",
    ),
    "help_import_files": ("要导入的 .docx 文件或文件夹。", "The .docx files or folders to import."),
    "help_import_kind": (
        "导入为 essay（心得，默认）、minutes（沙龙纪要）、issue（期刊）或 page（页面）。",
        "Import as essay (the default), minutes, issue or page.",
    ),
    "help_import_track": (
        "赛道：代号或中文名，心得和纪要必填。",
        "The track (key or name); needed for essays and minutes.",
    ),
    "help_import_author": (
        "作者（心得）或主持人（纪要）；不写时取自标题下的署名行。",
        "The author (essay) or host (minutes); by default the byline under the title.",
    ),
    "help_import_issue": ("刊登于第几期；导入期刊时为期号。", "The issue it appears in; for an issue, its number."),
    "metavar_files": ("文件", "FILE"),
    "import_done": (
        "导入完成：{imported} 篇，{warnings} 个警告，跳过 {skipped} 个文件",
        "import done: {imported} documents, {warnings} warnings, {skipped} files skipped",
    ),
    # print edition (printing/)
    "print_skipped_engine": (
        "未生成印刷版 PDF：没有安装 WeasyPrint（或它需要的 Pango 库）。网站已照常生成。"
        "安装方法：pip install 'chaowen[print]'；Debian/Ubuntu 还需 sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        "（原因：{reason}）",
        "print edition skipped: WeasyPrint (or the Pango library it needs) is not installed; the site was built as usual. "
        "Install it with pip install 'chaowen[print]'; on Debian/Ubuntu also sudo apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0 (reason: {reason})",
    ),
    "print_skipped_font": (
        "未生成印刷版 PDF：找不到中文字体 {fonts}，印出来会是一个个方框。网站已照常生成。"
        "安装方法：Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk；macOS、Windows 请安装思源宋体和思源黑体"
        "（Noto Serif CJK SC、Noto Sans CJK SC）",
        "print edition skipped: the Chinese fonts {fonts} are missing, and the PDF would show empty boxes; the site was "
        "built as usual. Install them with sudo apt-get install fonts-noto-cjk (Debian/Ubuntu), or install Noto Serif "
        "CJK SC and Noto Sans CJK SC (Source Han Serif/Sans) on macOS or Windows",
    ),
    "built_print": (
        "（印刷版：{count} 个 PDF，本次排版 {made} 个，用时 {seconds:.2f} 秒）",
        " (print edition: {count} PDFs, {made} typeset now, {seconds:.2f} s)",
    ),
    "stage_print": ("排版印刷版", "typesetting the print edition"),
    "help_build_no_print": (
        "不生成印刷版 PDF（即使 chaowen.yaml 的 print 打开了）。",
        "Do not make the print edition's PDFs (even when print is on in chaowen.yaml).",
    ),
}
