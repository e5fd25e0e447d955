import Foundation

/// The words of a message in the report's language.
struct MailLabels: Sendable {
    let correctionPrefix: String
    let correctionNote: String
    let attached: String
    let notAttached: @Sendable (_ mb: String, _ limit: Int, _ path: String) -> String
    let keyFigures: String
    let keyFiguresMissing: String
    /// The key figures table's header: metric, current, previous, change %, ytd.
    let figureColumns: [String]
    let comparedWith: @Sendable (String) -> String
    let ytdCovers: @Sendable (String) -> String
    let sheet: String
    let exceptions: String
    let dataIssues: @Sendable (Int) -> String
    let inputs: @Sendable (_ files: Int, _ read: Int, _ accepted: Int, _ warned: Int, _ rejected: Int) -> String
    let footer: String
    /// A dealer's statement: the greeting, what is attached, the two amounts and the request to sign and return.
    let statementGreeting: @Sendable (_ id: String, _ name: String) -> String
    let statementIntro: @Sendable (_ period: String) -> String
    let statementClosing: @Sendable (String) -> String
    let statementOverdue: @Sendable (String) -> String
    let statementRequest: String

    static func of(_ locale: String) -> MailLabels { locale == "en" ? en : zh }

    static let zh = MailLabels(
        correctionPrefix: "更正：",
        correctionNote: "更正：本邮件的工作簿替换此前发送的版本。",
        attached: "附件",
        notAttached: { "工作簿（\($0) MB）超过附件上限 \($1) MB，未随邮件附上，位置：\($2)" },
        keyFigures: "主要指标",
        keyFiguresMissing: "主要指标见工作簿的概览表。",
        figureColumns: ["指标", "本期", "上期", "变化 %", "本年累计"],
        comparedWith: { "上期：\($0)" },
        ytdCovers: { "本年累计：\($0)" },
        sheet: "工作表",
        exceptions: "异常",
        dataIssues: { "数据问题：\($0) 条（见工作簿的“数据问题”表及 rejects.csv）" },
        inputs: { "输入：\($0) 个文件，读取 \($1) 行，接受 \($2)，警告 \($3)，拒收 \($4)" },
        footer: "本邮件由 aftersales 自动发送。",
        statementGreeting: { "\($1)（\($0)）：" },
        statementIntro: { "附件是贵网点 \($0) 的对账单。" },
        statementClosing: { "期末余额：\($0) 元" },
        statementOverdue: { "其中已逾期：\($0) 元" },
        statementRequest: "请核对对账单的往来明细及期末余额，确认无误后签字盖章回传；如有不符，请注明差异金额及单据号，附明细一并回传。")

    static let en = MailLabels(
        correctionPrefix: "Corrected: ",
        correctionNote: "Correction: the workbook of this message replaces the one sent before.",
        attached: "Attached",
        notAttached: { "The workbook (\($0) MB) is over the attachment limit of \($1) MB and is not attached; it is at \($2)" },
        keyFigures: "Key figures",
        keyFiguresMissing: "The key figures are on the workbook's overview sheet.",
        figureColumns: ["Metric", "Current", "Previous", "Change %", "Year to date"],
        comparedWith: { "previous: \($0)" },
        ytdCovers: { "year to date: \($0)" },
        sheet: "Sheet",
        exceptions: "Exceptions",
        dataIssues: { "Data issues: \($0) (see the workbook's Data issues sheet and rejects.csv)" },
        inputs: { "Inputs: \($0) files, \($1) rows read, \($2) accepted, \($3) warned, \($4) rejected" },
        footer: "Sent by aftersales.",
        statementGreeting: { "Dear \($1) (\($0)),"},
        statementIntro: { "Attached is your statement of account for \($0)." },
        statementClosing: { "Closing balance: \($0) CNY" },
        statementOverdue: { "Of which overdue: \($0) CNY" },
        statementRequest: "Please check the documents and the closing balance, then sign and stamp the statement and return it; if anything differs, note the amount and the document numbers and return it with the details.")
}

/// The text/plain and text/html bodies of one report's message, from its key figures.
public struct MailBody: Sendable, Equatable {
    public var text: String
    public var html: String

    /// `attachmentNote`: the attached file's name, or (when it was too big) where the workbook is.
    public static func build(title: String, period: String, figures: KeyFigures, locale: String, correction: Bool,
                             attachmentNote: String) -> MailBody {
        let labels = MailLabels.of(locale)
        var text: [String] = ["\(title) \(period)", ""]
        var html: [String] = ["<!DOCTYPE html>", "<html><body>", "<h2>\(escape(title)) \(escape(period))</h2>"]
        if correction {
            text += [labels.correctionNote, ""]
            html.append("<p><strong>\(escape(labels.correctionNote))</strong></p>")
        }
        text += [attachmentNote, ""]
        html.append("<p>\(escape(attachmentNote))</p>")
        if figures.figures.isEmpty {
            text += [labels.keyFiguresMissing, ""]
            html.append("<p>\(escape(labels.keyFiguresMissing))</p>")
        } else {
            // The columns the overview shows: previous and change % when compared, ytd when summed.
            let compared = figures.figures.contains { $0.previous != nil }, summed = figures.figures.contains { $0.ytd != nil }
            let notes = [figures.comparedWith.map(labels.comparedWith), figures.ytdCovers.map(labels.ytdCovers)].compactMap { $0 }
            let heading = labels.keyFigures + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
            text.append("\(heading):")
            html.append("<h3>\(escape(labels.keyFigures))</h3>")
            if !notes.isEmpty { html.append("<p>\(escape(notes.joined(separator: "; ")))</p>") }
            html.append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">")
            let columns = [0, 1] + (compared ? [2, 3] : []) + (summed ? [4] : [])
            html.append("<tr>" + columns.map { "<th>\(escape(labels.figureColumns[$0]))</th>" }.joined() + "</tr>")
            for figure in figures.figures {
                var line = "  \(figure.label): \(display(figure.current))"
                var extra: [String] = []
                if let previous = figure.previous {
                    extra.append(display(previous) + (figure.changePct.map { ", \(display($0)) %" } ?? ""))
                }
                if let ytd = figure.ytd { extra.append("\(labels.figureColumns[4]) \(display(ytd))") }
                if !extra.isEmpty { line += " (\(extra.joined(separator: "; ")))" }
                text.append(line)
                let cells = [display(figure.current), display(figure.previous), display(figure.changePct), display(figure.ytd)]
                html.append("<tr><td>\(escape(figure.label))</td>"
                            + columns.dropFirst().map { "<td align=\"right\">\(escape(cells[$0 - 1]))</td>" }.joined() + "</tr>")
            }
            text.append("")
            html.append("</table>")
        }
        if !figures.exceptions.isEmpty {
            text.append("\(labels.exceptions):")
            html.append("<h3>\(escape(labels.exceptions))</h3>\n<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">")
            html.append("<tr><th>\(escape(labels.sheet))</th><th>\(escape(labels.exceptions))</th></tr>")
            for exception in figures.exceptions {
                text.append("  \(exception.check): \(exception.count)")
                html.append("<tr><td>\(escape(exception.check))</td><td align=\"right\">\(exception.count)</td></tr>")
            }
            text.append("")
            html.append("</table>")
        }
        let issues = labels.dataIssues(figures.dataIssues)
        let inputs = labels.inputs(figures.inputFiles, figures.rowsRead, figures.rowsAccepted, figures.rowsWarned, figures.rowsRejected)
        text += [issues, inputs, "", labels.footer, ""]
        html += ["<p>\(escape(issues))</p>", "<p>\(escape(inputs))</p>", "<p><small>\(escape(labels.footer))</small></p>", "</body></html>", ""]
        return MailBody(text: text.joined(separator: "\n"), html: html.joined(separator: "\n"))
    }

    /// A dealer's statement (SPEC §8.5 with §8.4): company, dealer, period, the closing balance and the
    /// overdue part of it, and the request to check, sign and return.
    static func statement(title: String, company: String, dealer: StatementRecipients.Dealer, period: String, locale: String,
                          correction: Bool, attachmentNote: String) -> MailBody {
        let labels = MailLabels.of(locale)
        let heading = "\(title) \(dealer.dealerName) \(period)"
        var paragraphs = [labels.statementGreeting(dealer.dealerId, dealer.dealerName), labels.statementIntro(period)]
        if correction { paragraphs.append(labels.correctionNote) }
        let amounts = [labels.statementClosing(display(dealer.closing)), labels.statementOverdue(display(dealer.overdue))]
        let after = [labels.statementRequest, attachmentNote] + (company.isEmpty ? [] : [company])
        let text = [heading, ""] + paragraphs + [""] + amounts + [""] + after.flatMap { [$0, ""] } + [labels.footer, ""]
        let html = ["<!DOCTYPE html>", "<html><body>", "<h2>\(escape(heading))</h2>"] + paragraphs.map { "<p>\(escape($0))</p>" }
            + ["<p>" + amounts.map(escape).joined(separator: "<br>") + "</p>"] + after.map { "<p>\(escape($0))</p>" }
            + ["<p><small>\(escape(labels.footer))</small></p>", "</body></html>", ""]
        return MailBody(text: text.joined(separator: "\n"), html: html.joined(separator: "\n"))
    }
}

/// A figure's exact decimal text with thousands separators ("-1234567.50" → "-1,234,567.50"); blank
/// for nil.
func display(_ plain: String?) -> String {
    guard let plain else { return "" }
    let negative = plain.hasPrefix("-")
    let digits = negative ? plain.dropFirst() : Substring(plain)
    let whole = digits.prefix { $0 != "." }, rest = digits.dropFirst(whole.count)
    guard !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return plain }
    var grouped = ""
    for (n, c) in whole.enumerated() {
        if n > 0 && (whole.count - n) % 3 == 0 { grouped.append(",") }
        grouped.append(c)
    }
    return (negative ? "-" : "") + grouped + rest
}

func escape(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
