//! Page layout: blocks of text, code, tables and boxes wrapped by glyph widths and cut into pages.
//!
//! The layout knows nothing about PDF: it produces [`Page`]s of positioned [`Draw`]s in
//! points, measured from the top-left corner, which `pdf.rs` turns into PDF operators.

use super::fonts::Face;
use super::text::{self, Line};

/// Paper size in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
}

/// ISO A4, 210 × 297 mm.
pub const A4: Paper = Paper {
    width: 595.276,
    height: 841.89,
};

/// US Letter, 8.5 × 11 in.
pub const LETTER: Paper = Paper {
    width: 612.0,
    height: 792.0,
};

/// Page margin on every side; wide enough to survive office printers.
pub const MARGIN: f32 = 54.0;
/// Space reserved at the top for the running header.
pub const HEADER_SPACE: f32 = 22.0;
/// Space reserved at the bottom for the running footer.
pub const FOOTER_SPACE: f32 = 22.0;

/// A face at a size, with line height and grey level (0 black, 1 white).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Font face.
    pub face: Face,
    /// Font size in points.
    pub size: f32,
    /// Distance between baselines.
    pub leading: f32,
    /// Grey level of the text.
    pub gray: f32,
}

impl Style {
    /// `face` at `size`, black, with 1.3 line spacing.
    pub const fn new(face: Face, size: f32) -> Style {
        Style {
            face,
            size,
            leading: size * 1.3,
            gray: 0.0,
        }
    }

    /// The same style in grey.
    pub const fn gray(self, gray: f32) -> Style {
        Style { gray, ..self }
    }
}

/// Something to draw, positioned in points from the top-left of the page (or of its item).
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// A line of text whose baseline is at `y`.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Face, size and colour.
        style: Style,
        /// The text, one line.
        text: String,
        /// Right edge of the column the text belongs to; nothing may be drawn past it.
        limit: f32,
    },
    /// A rectangle, filled with a grey and/or stroked.
    Rect {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill grey level, if filled.
        fill: Option<f32>,
        /// Stroke width, if stroked.
        stroke: Option<f32>,
    },
}

impl Draw {
    fn shifted(mut self, dx: f32, dy: f32) -> Draw {
        match &mut self {
            Draw::Text { x, y, limit, .. } => {
                *x += dx;
                *y += dy;
                *limit += dx;
            }
            Draw::Rect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
        self
    }
}

/// A laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Everything on the page.
    pub draws: Vec<Draw>,
    /// Bookmarks that point at this page.
    pub bookmarks: Vec<String>,
}

/// Space between a table cell's border and its text.
const CELL_PAD: f32 = 4.0;

/// Column widths adding up to `total` from each column's narrowest (`least`) and widest
/// useful (`most`) width: all at their widest with the spare room shared when that fits,
/// else all at their narrowest plus a share of the rest by how much more each wants, else
/// (too many columns for the page) the narrowest widths scaled down.
fn column_widths(least: &[f32], most: &[f32], total: f32) -> Vec<f32> {
    let sum_least: f32 = least.iter().sum();
    let sum_most: f32 = most.iter().sum();
    if sum_most <= total && sum_most > 0.0 {
        return most
            .iter()
            .map(|m| m + (total - sum_most) * m / sum_most)
            .collect();
    }
    if sum_least >= total || sum_most <= 0.0 {
        let sum = sum_least.max(f32::EPSILON);
        return least.iter().map(|l| l * total / sum).collect();
    }
    let wanted: f32 = least.iter().zip(most).map(|(l, m)| m - l).sum();
    least
        .iter()
        .zip(most)
        .map(|(l, m)| l + (total - sum_least) * (m - l) / wanted.max(f32::EPSILON))
        .collect()
}

/// An unbreakable horizontal strip of the flow.
#[derive(Debug, Clone)]
struct Item {
    height: f32,
    /// Keep on the same page as the next item (headings, table headers).
    keep_with_next: bool,
    /// On the first item of a keep-together group: how many items the group has.
    group: usize,
    draws: Vec<Draw>,
    bookmark: Option<String>,
}

/// A column of content being built up, later cut into pages.
pub struct Flow {
    width: f32,
    items: Vec<Item>,
}

/// `text` on one line at (`x`, baseline `y`), cut with an ellipsis to end before `limit`.
pub fn single_line(text: &str, style: Style, x: f32, y: f32, limit: f32) -> Vec<Draw> {
    line_draws(text::one_line(text, style, limit - x), x, y, limit)
}

/// Draws the runs of `line` from `x` on baseline `y`, inside a column ending at `limit`.
fn line_draws(line: Line, x: f32, y: f32, limit: f32) -> Vec<Draw> {
    let mut draws = Vec::with_capacity(line.len());
    let mut x = x;
    let last = line.len().saturating_sub(1);
    for (i, run) in line.into_iter().enumerate() {
        // Only the runs after it need a run's width (most lines are a single run).
        let next = if i < last { x + run.width() } else { x };
        if !run.text.chars().all(char::is_whitespace) {
            draws.push(Draw::Text {
                x,
                y,
                style: run.style,
                text: run.text,
                limit,
            });
        }
        x = next;
    }
    draws
}

impl Flow {
    /// An empty flow `width` points wide.
    pub fn new(width: f32) -> Flow {
        Flow {
            width,
            items: Vec::new(),
        }
    }

    fn push(&mut self, height: f32, draws: Vec<Draw>) {
        self.items.push(Item {
            height,
            keep_with_next: false,
            group: 0,
            draws,
            bookmark: None,
        });
    }

    /// Vertical space; after a keep-with-next item it keeps with the next item too.
    pub fn space(&mut self, height: f32) {
        let keep = self.items.last().is_some_and(|item| item.keep_with_next);
        self.push(height, Vec::new());
        if keep {
            self.keep();
        }
    }

    /// Runs `build` and keeps what it adds together: the group starts a new page when it
    /// would not fit in what is left of this one but fits on a page of its own.
    pub fn group(&mut self, build: impl FnOnce(&mut Flow)) {
        let start = self.items.len();
        build(self);
        let len = self.items.len() - start;
        if let Some(first) = self.items.get_mut(start) {
            first.group = len;
        }
    }

    /// Keeps the last item on the same page as the next one.
    pub fn keep(&mut self) {
        if let Some(item) = self.items.last_mut() {
            item.keep_with_next = true;
        }
    }

    /// Wrapped text, indented by `indent`, one item per line; `inline code` in monospace.
    pub fn text(&mut self, style: Style, text: &str, indent: f32) {
        for line in text::wrap(text, style, self.width - indent, true) {
            let draws = line_draws(line, indent, style.size, self.width);
            self.push(style.leading, draws);
        }
    }

    /// A heading that never ends a page: it stays with the first line after it.
    pub fn heading(&mut self, style: Style, text: &str, bookmark: Option<String>) {
        let first = self.items.len();
        self.text(style, text, 0.0);
        for item in &mut self.items[first..] {
            item.keep_with_next = true;
        }
        if let Some(item) = self.items.get_mut(first) {
            item.bookmark = bookmark;
        }
    }

    /// A bulleted list; wrapped lines hang under the text, not the bullet.
    pub fn bullets(&mut self, style: Style, items: &[String]) {
        let indent = 12.0;
        for item in items {
            for (i, line) in text::wrap(item, style, self.width - indent, true)
                .into_iter()
                .enumerate()
            {
                let mut draws = line_draws(line, indent, style.size, self.width);
                if i == 0 {
                    draws.push(Draw::Text {
                        x: 2.0,
                        y: style.size,
                        style,
                        text: "•".into(),
                        limit: indent,
                    });
                }
                self.push(style.leading, draws);
            }
        }
    }

    /// A code block on a light grey band, in monospace, indentation kept; kept on one page
    /// when it fits on one.
    pub fn code(&mut self, style: Style, code: &str) {
        self.group(|flow| flow.code_lines(style, code));
    }

    fn code_lines(&mut self, style: Style, code: &str) {
        let pad = 6.0;
        let inner = self.width - 2.0 * pad;
        let text = if code.contains('\t') {
            std::borrow::Cow::Owned(code.replace('\t', "    "))
        } else {
            std::borrow::Cow::Borrowed(code)
        };
        let lines: Vec<Line> = text
            .trim_matches('\n')
            .lines()
            .flat_map(|line| text::wrap_code(line.trim_end(), style, inner))
            .collect();
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.into_iter().enumerate() {
            let top = if i == 0 { pad } else { 0.0 };
            let bottom = if i == last { pad } else { 0.0 };
            let height = style.leading + top + bottom;
            let mut draws = vec![Draw::Rect {
                x: 0.0,
                y: 0.0,
                w: self.width,
                h: height,
                fill: Some(0.94),
                stroke: None,
            }];
            draws.extend(line_draws(line, pad, top + style.size, self.width - pad));
            self.push(height, draws);
        }
    }

    /// A table with a shaded header row; `widths` are fractions of the flow width.
    pub fn table(
        &mut self,
        header_style: Style,
        style: Style,
        widths: &[f32],
        header: &[String],
        rows: &[Vec<String>],
    ) {
        self.table_row(header_style, widths, header, Some(0.88));
        self.keep();
        for row in rows {
            self.table_row(style, widths, row, None);
        }
    }

    /// A table whose columns are sized from their content: each column at least as wide
    /// as its longest word, so no word is broken where a line break would do (a kit code
    /// is one word and stays on one line), and the room left shared by how much wider each
    /// column's longest line would like to be.
    pub fn auto_table(
        &mut self,
        header_style: Style,
        style: Style,
        header: &[String],
        rows: &[Vec<String>],
    ) {
        // Padding on both sides, and a hair for rounding between points and fractions.
        let pad = 2.0 * CELL_PAD + 0.05;
        let mut least = vec![0.0f32; header.len()];
        let mut most = vec![0.0f32; header.len()];
        let lines = std::iter::once((header, header_style))
            .chain(rows.iter().map(|row| (row.as_slice(), style)));
        for (cells, style) in lines {
            for ((cell, least), most) in cells.iter().zip(&mut least).zip(&mut most) {
                let (word, line) = text::extent(cell, style, true);
                *least = least.max(word + pad);
                *most = most.max(line + pad);
            }
        }
        let widths: Vec<f32> = column_widths(&least, &most, self.width)
            .iter()
            .map(|w| w / self.width)
            .collect();
        self.table(header_style, style, &widths, header, rows);
    }

    fn table_row(&mut self, style: Style, widths: &[f32], cells: &[String], fill: Option<f32>) {
        let pad = CELL_PAD;
        let columns: Vec<f32> = widths.iter().map(|w| w * self.width).collect();
        let wrapped: Vec<Vec<Line>> = cells
            .iter()
            .zip(&columns)
            .map(|(cell, w)| text::wrap(cell, style, w - 2.0 * pad, true))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * style.leading + 2.0 * pad;
        let mut draws = Vec::new();
        let mut x = 0.0;
        for (cell, w) in wrapped.into_iter().zip(&columns) {
            draws.push(Draw::Rect {
                x,
                y: 0.0,
                w: *w,
                h: height,
                fill,
                stroke: Some(0.5),
            });
            for (i, line) in cell.into_iter().enumerate() {
                let y = pad + style.size + i as f32 * style.leading;
                draws.extend(line_draws(line, x + pad, y, x + w - pad));
            }
            x += w;
        }
        self.push(height, draws);
    }

    /// An empty framed box with a label, for handwritten notes.
    pub fn notes_box(&mut self, label_style: Style, label: &str, height: f32) {
        let mut draws = vec![Draw::Rect {
            x: 0.0,
            y: 0.0,
            w: self.width,
            h: height,
            fill: None,
            stroke: Some(0.6),
        }];
        draws.extend(single_line(
            label,
            label_style,
            5.0,
            4.0 + label_style.size,
            self.width - 5.0,
        ));
        self.push(height, draws);
    }

    /// A label followed by one small tick box per score, continuing on a new row when the
    /// names would run past the column.
    pub fn score_boxes(&mut self, style: Style, label: &str, scores: &[String]) {
        let side = style.size + 4.0;
        let baseline = side - 3.0;
        let label = text::one_line(label, style, self.width / 3.0);
        let start = label.iter().map(text::Run::width).sum::<f32>() + 10.0;
        let mut rows: Vec<Vec<Draw>> = vec![line_draws(label, 0.0, baseline, start)];
        let mut x = start;
        for score in scores {
            let name = text::one_line(score, style, self.width - start - side - 3.0);
            let needed = side + 3.0 + name.iter().map(text::Run::width).sum::<f32>();
            if x > start && x + needed > self.width {
                rows.push(Vec::new());
                x = start;
            }
            let row = rows.last_mut().expect("there is always a row");
            row.push(Draw::Rect {
                x,
                y: 0.0,
                w: side,
                h: side,
                fill: None,
                stroke: Some(0.8),
            });
            row.extend(line_draws(name, x + side + 3.0, baseline, self.width));
            x += needed + 12.0;
        }
        let count = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            self.push(side + 4.0, row);
            if i + 1 < count {
                self.keep();
            }
        }
    }

    /// Cuts the flow into pages of `paper`, inside the margins and clear of header and footer.
    ///
    /// A run of items marked keep-with-next moves to a new page together with the item
    /// after it when they would not fit, so a heading never ends a page.
    pub fn paginate(self, paper: Paper) -> Vec<Page> {
        let top = MARGIN + HEADER_SPACE;
        let bottom = paper.height - MARGIN - FOOTER_SPACE;
        let usable = bottom - top;
        let mut pages = vec![Page::default()];
        let mut y = top;
        let heights: Vec<f32> = self.items.iter().map(|item| item.height).collect();
        let keeps: Vec<bool> = self.items.iter().map(|item| item.keep_with_next).collect();
        for (i, item) in self.items.into_iter().enumerate() {
            let at_top = (y - top).abs() < f32::EPSILON;
            // Height of this item plus everything chained to it by keep-with-next.
            let mut chain = heights[i];
            let mut next = i;
            while keeps[next] && next + 1 < heights.len() {
                next += 1;
                chain += heights[next];
            }
            let group: f32 = heights[i..(i + item.group).min(heights.len())].iter().sum();
            let needed = if item.group > 0 && group <= usable {
                group.max(chain.min(usable))
            } else if chain <= usable {
                chain
            } else {
                item.height
            };
            if !at_top && y + needed > bottom {
                pages.push(Page::default());
                y = top;
            }
            // Blank space is not carried to the top of a fresh page.
            let at_top = (y - top).abs() < f32::EPSILON;
            if at_top && item.draws.is_empty() && item.bookmark.is_none() {
                continue;
            }
            let page = pages.last_mut().expect("there is always a page");
            page.draws
                .extend(item.draws.into_iter().map(|d| d.shifted(MARGIN, y)));
            if let Some(mark) = item.bookmark {
                page.bookmarks.push(mark);
            }
            y += item.height;
        }
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(Face::Regular, 10.0);

    #[test]
    fn heading_never_ends_a_page() {
        let mut flow = Flow::new(400.0);
        // Fill most of the first page, then a heading that only just fits on its own.
        let usable = A4.height - 2.0 * MARGIN - HEADER_SPACE - FOOTER_SPACE;
        flow.text(BODY, "intro", 0.0);
        flow.space(usable - BODY.leading * 2.5);
        flow.heading(BODY, "Heading", Some("h".into()));
        flow.text(BODY, "first line of the body", 0.0);
        let pages = flow.paginate(A4);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].bookmarks, vec!["h".to_owned()]);
        let first_text = pages[1].draws.iter().find_map(|d| match d {
            Draw::Text { text, .. } => Some(text.clone()),
            _ => None,
        });
        assert_eq!(first_text.as_deref(), Some("Heading"));
    }
}

#[cfg(test)]
mod group_tests {
    use super::*;

    const BODY: Style = Style::new(Face::Regular, 10.0);

    #[test]
    fn a_group_that_fits_a_page_is_never_split() {
        let mut flow = Flow::new(400.0);
        let usable = A4.height - 2.0 * MARGIN - HEADER_SPACE - FOOTER_SPACE;
        flow.text(BODY, "intro", 0.0);
        flow.space(usable / 2.0);
        flow.group(|f| {
            for i in 0..30 {
                f.text(BODY, &format!("line {i}"), 0.0);
            }
        });
        let pages = flow.paginate(A4);
        assert_eq!(pages.len(), 2);
        let texts = |p: &Page| {
            p.draws
                .iter()
                .filter(|d| matches!(d, Draw::Text { .. }))
                .count()
        };
        assert_eq!(texts(&pages[1]), 30);
    }
}

#[cfg(test)]
mod keep_tests {
    use super::*;

    const BODY: Style = Style::new(Face::Regular, 10.0);
    const LABEL: Style = Style::new(Face::Bold, 9.5);
    const CODE: Style = Style::new(Face::Mono, 8.8);

    fn texts(page: &Page) -> Vec<&str> {
        page.draws
            .iter()
            .filter_map(|d| match d {
                Draw::Text { text, .. } => Some(text.as_str()),
                Draw::Rect { .. } => None,
            })
            .collect()
    }

    #[test]
    fn a_code_block_that_fits_a_page_is_never_split() {
        let mut flow = Flow::new(400.0);
        let usable = A4.height - 2.0 * MARGIN - HEADER_SPACE - FOOTER_SPACE;
        flow.text(BODY, "intro", 0.0);
        // Room for about four lines of code at the foot of the page.
        flow.space(usable - BODY.leading - 4.5 * CODE.leading);
        let code: Vec<String> = (0..12).map(|i| format!("line_{i} = {i}")).collect();
        flow.code(CODE, &code.join("\n"));
        let pages = flow.paginate(A4);
        assert_eq!(pages.len(), 2);
        assert_eq!(texts(&pages[0]), vec!["intro"]);
        assert_eq!(texts(&pages[1]).len(), 12);
    }

    #[test]
    fn a_code_block_longer_than_a_page_still_breaks() {
        let mut flow = Flow::new(400.0);
        let code: Vec<String> = (0..120).map(|i| format!("line_{i} = {i}")).collect();
        flow.code(CODE, &code.join("\n"));
        let pages = flow.paginate(A4);
        assert!(pages.len() >= 2);
        let lines: usize = pages.iter().map(|p| texts(p).len()).sum();
        assert_eq!(lines, 120);
    }

    #[test]
    fn auto_table_never_breaks_a_word_that_a_line_break_would_fit() {
        let mut flow = Flow::new(A4.width - 2.0 * MARGIN);
        let header: Vec<String> = [
            "Rank",
            "Candidate",
            "Kit",
            "Total",
            "%",
            "Scored",
            "κ",
            "Disagree",
        ]
        .map(String::from)
        .to_vec();
        let rows = vec![
            vec![
                "1".into(),
                "María Fernanda de los Ángeles Castillo Wolfeschlegelsteinhausen".into(),
                "PY1-7-11-9BV3Q0N".into(),
                "13.25".into(),
                "81.3".into(),
                "10/10".into(),
                "0.71".into(),
                "2".into(),
            ],
            vec![
                "2".into(),
                "Ada".into(),
                "PY1-7-2-9BV3Q0K".into(),
                "–".into(),
                "–".into(),
                "0/10".into(),
                "–".into(),
                "0".into(),
            ],
        ];
        flow.auto_table(LABEL, BODY, &header, &rows);
        let pages = flow.paginate(A4);
        let drawn = texts(&pages[0]);
        for word in header.iter().chain([&rows[0][2], &rows[1][2], &rows[0][5]]) {
            assert!(drawn.contains(&word.as_str()), "{word} broken: {drawn:?}");
        }
        // The long name wraps at spaces, never inside a word.
        for word in rows[0][1].split(' ') {
            assert!(
                drawn.iter().any(|t| t.split(' ').any(|w| w == word)),
                "{word}: {drawn:?}"
            );
        }
    }

    #[test]
    fn column_widths_fill_the_table() {
        for (least, most) in [
            (vec![10.0, 20.0], vec![30.0, 40.0]),
            (vec![100.0, 200.0], vec![300.0, 400.0]),
            (vec![300.0, 400.0], vec![500.0, 600.0]),
        ] {
            let widths = column_widths(&least, &most, 400.0);
            assert!(
                (widths.iter().sum::<f32>() - 400.0).abs() < 0.01,
                "{widths:?}"
            );
            if least.iter().sum::<f32>() <= 400.0 {
                assert!(widths.iter().zip(&least).all(|(w, l)| w >= l));
            }
        }
    }
}
