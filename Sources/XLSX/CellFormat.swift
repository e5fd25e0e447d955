import CXLSXWriter

/// How a cell looks, as a plain value. The workbook makes one `lxw_format` per distinct value and reuses it.
///
/// Colours are `0xRRGGBB`. Number formats are Excel's, e.g. `#,##0.00`, `#,##0.###`, `0.0000`,
/// `0.00"%"` (a literal percent sign: the value is already in percent), `yyyy-mm-dd`.
public struct CellFormat: Hashable, Sendable {
    public enum HorizontalAlignment: Hashable, Sendable { case left, center, right, centerAcross }
    public enum VerticalAlignment: Hashable, Sendable { case top, center, bottom }
    public enum Border: Hashable, Sendable { case thin, medium, thick, dashed, dotted, double, hair }

    public var bold: Bool
    public var italic: Bool
    /// Points; nil keeps the default 11.
    public var fontSize: Double?
    public var fontColor: UInt32?
    /// A solid background.
    public var fillColor: UInt32?
    /// The same border on all four sides.
    public var border: Border?
    public var borderColor: UInt32?
    /// The bottom edge alone, over `border` (a line to write on, a rule under a total).
    public var bottomBorder: Border?
    public var align: HorizontalAlignment?
    public var verticalAlign: VerticalAlignment?
    public var wrap: Bool
    public var numberFormat: String?

    public init(bold: Bool = false, italic: Bool = false, fontSize: Double? = nil, fontColor: UInt32? = nil,
                fillColor: UInt32? = nil, border: Border? = nil, borderColor: UInt32? = nil, bottomBorder: Border? = nil,
                align: HorizontalAlignment? = nil, verticalAlign: VerticalAlignment? = nil, wrap: Bool = false,
                numberFormat: String? = nil) {
        self.bold = bold
        self.italic = italic
        self.fontSize = fontSize
        self.fontColor = fontColor
        self.fillColor = fillColor
        self.border = border
        self.borderColor = borderColor
        self.bottomBorder = bottomBorder
        self.align = align
        self.verticalAlign = verticalAlign
        self.wrap = wrap
        self.numberFormat = numberFormat
    }

    func apply(to format: UnsafeMutablePointer<lxw_format>) {
        if bold { format_set_bold(format) }
        if italic { format_set_italic(format) }
        if let fontSize { format_set_font_size(format, fontSize) }
        if let fontColor { format_set_font_color(format, lxwColor(fontColor)) }
        if let fillColor { format_set_bg_color(format, lxwColor(fillColor)) }
        if let border { format_set_border(format, border.lxwStyle) }
        if let borderColor { format_set_border_color(format, lxwColor(borderColor)) }
        if let bottomBorder { format_set_bottom(format, bottomBorder.lxwStyle) }
        if let align { format_set_align(format, align.lxwAlign) }
        if let verticalAlign { format_set_align(format, verticalAlign.lxwAlign) }
        if wrap { format_set_text_wrap(format) }
        if let numberFormat { format_set_num_format(format, numberFormat) }
    }
}

/// libxlsxwriter reads 0x000000 as "unset"; black has its own value.
func lxwColor(_ rgb: UInt32) -> lxw_color_t {
    let rgb = rgb & 0xFFFFFF
    return rgb == 0 ? lxw_color_t(LXW_COLOR_BLACK.rawValue) : rgb
}

extension CellFormat.HorizontalAlignment {
    var lxwAlign: UInt8 {
        switch self {
        case .left: UInt8(LXW_ALIGN_LEFT.rawValue)
        case .center: UInt8(LXW_ALIGN_CENTER.rawValue)
        case .right: UInt8(LXW_ALIGN_RIGHT.rawValue)
        case .centerAcross: UInt8(LXW_ALIGN_CENTER_ACROSS.rawValue)
        }
    }
}

extension CellFormat.VerticalAlignment {
    var lxwAlign: UInt8 {
        switch self {
        case .top: UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)
        case .center: UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)
        case .bottom: UInt8(LXW_ALIGN_VERTICAL_BOTTOM.rawValue)
        }
    }
}

extension CellFormat.Border {
    var lxwStyle: UInt8 {
        switch self {
        case .thin: UInt8(LXW_BORDER_THIN.rawValue)
        case .medium: UInt8(LXW_BORDER_MEDIUM.rawValue)
        case .thick: UInt8(LXW_BORDER_THICK.rawValue)
        case .dashed: UInt8(LXW_BORDER_DASHED.rawValue)
        case .dotted: UInt8(LXW_BORDER_DOTTED.rawValue)
        case .double: UInt8(LXW_BORDER_DOUBLE.rawValue)
        case .hair: UInt8(LXW_BORDER_HAIR.rawValue)
        }
    }
}
