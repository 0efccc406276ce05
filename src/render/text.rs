//! Rich text: `inline code` spans and per-character font fallback, wrapped into lines by glyph widths.

use super::fonts::{Face, Metrics};
use super::layout::Style;

/// A stretch of text drawn in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The text.
    pub text: String,
    /// Its face, size and colour.
    pub style: Style,
}

impl Run {
    /// Width of the run in points.
    pub fn width(&self) -> f32 {
        self.style.face.metrics().width(&self.text, self.style.size)
    }
}

/// One line: runs drawn left to right.
pub type Line = Vec<Run>;

/// Width of a line in points.
#[cfg(test)]
pub fn line_width(line: &[Run]) -> f32 {
    line.iter().map(Run::width).sum()
}

/// The style inline code takes inside text of `base` style.
fn code_style(base: Style) -> Style {
    Style {
        face: Face::Mono,
        size: base.size * 0.92,
        ..base
    }
}

/// The face that draws `c` for text meant to be in `face`: the face itself when it has the
/// glyph, else the first face of its fallback chain that does (so a character is never
/// silently dropped), else `face` (and the glyph check reports the character).
fn face_for(face: Face, c: char) -> Face {
    if c.is_whitespace() {
        return face;
    }
    face.fallbacks()
        .iter()
        .copied()
        .find(|f| f.metrics().has(c))
        .unwrap_or(face)
}

fn advance(c: char, style: Style) -> f32 {
    style.face.metrics().char_width(c, style.size)
}

/// Measures characters in one style: the face that draws each (see [`face_for`]) and its
/// width, in one table lookup when the first face of the fallback chain has the glyph.
#[derive(Clone, Copy)]
struct Pen {
    style: Style,
    first: Face,
    metrics: &'static Metrics,
}

impl Pen {
    fn new(style: Style) -> Pen {
        let first = style
            .face
            .fallbacks()
            .first()
            .copied()
            .unwrap_or(style.face);
        Pen {
            style,
            first,
            metrics: first.metrics(),
        }
    }

    /// The face that draws `c`, and its width.
    #[inline(always)]
    fn glyph(&self, c: char) -> (Face, f32) {
        if !c.is_whitespace()
            && let Some(width) = self.metrics.glyph_width(c, self.style.size)
        {
            return (self.first, width);
        }
        self.fallback(c)
    }

    /// [`Pen::glyph`] for whitespace and for characters the first face lacks.
    #[cold]
    #[inline(never)]
    fn fallback(&self, c: char) -> (Face, f32) {
        let face = face_for(self.style.face, c);
        (face, advance(c, self.with(face)))
    }

    /// The pen's style in `face`.
    fn with(&self, face: Face) -> Style {
        Style { face, ..self.style }
    }
}

/// Room a new run starts with, so the run of a line of text rarely has to grow.
const RUN_CAPACITY: usize = 128;

/// Appends `text` to `line` in `style`, extending the last run when it has that style; a
/// new run starts with room for `capacity` bytes.
fn push(line: &mut Line, text: &str, style: Style, capacity: usize) {
    if text.is_empty() {
        return;
    }
    match line.last_mut() {
        Some(run) if run.style == style => run.text.push_str(text),
        _ => {
            let mut run = String::with_capacity(capacity.max(text.len()));
            run.push_str(text);
            line.push(Run { text: run, style });
        }
    }
}

/// Appends `text` to `line`, each character in the face that draws it, and calls `each`
/// with the byte offset and width of each character.
fn append(line: &mut Line, text: &str, pen: Pen, mut each: impl FnMut(usize, f32)) {
    let mut start = 0;
    let mut current = pen.style.face;
    for (i, c) in text.char_indices() {
        let (face, width) = pen.glyph(c);
        if face != current {
            push(line, &text[start..i], pen.with(current), text.len());
            (start, current) = (i, face);
        }
        each(i, width);
    }
    push(line, &text[start..], pen.with(current), text.len());
}

/// A stretch of one word drawn in one face: a byte range of its paragraph, in inline code
/// or not.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    face: Face,
    code: bool,
}

/// The words of one paragraph, found in a single pass over its characters: backtick spans
/// in monospace when inline code is on (the backticks themselves are not drawn).
struct Words<'a> {
    chars: std::str::CharIndices<'a>,
    /// Pens for plain text and for inline code.
    pens: [Pen; 2],
    backticks: bool,
    in_code: bool,
}

impl<'a> Words<'a> {
    fn new(paragraph: &'a str, pens: [Pen; 2], inline_code: bool) -> Words<'a> {
        Words {
            chars: paragraph.char_indices(),
            pens,
            backticks: inline_code && paragraph.matches('`').count() >= 2,
            in_code: false,
        }
    }

    /// Moves to the next word and returns its width, calling `each` with the byte offset,
    /// character and face of each of its characters and whether it is inline code; `None`
    /// after the last word.
    #[inline]
    fn next_width(&mut self, mut each: impl FnMut(usize, char, Face, bool)) -> Option<f32> {
        let mut width = 0.0f32;
        let mut empty = true;
        for (i, c) in self.chars.by_ref() {
            if self.backticks && c == '`' {
                self.in_code = !self.in_code;
                continue;
            }
            if c.is_whitespace() {
                if empty {
                    continue;
                }
                break;
            }
            let (face, w) = self.pens[usize::from(self.in_code)].glyph(c);
            width += w;
            empty = false;
            each(i, c, face, self.in_code);
        }
        (!empty).then_some(width)
    }

    /// Like [`Words::next_width`], gathering the word's stretches of one style into `spans`.
    fn next_spans(&mut self, spans: &mut Vec<Span>) -> Option<f32> {
        spans.clear();
        self.next_width(|i, c, face, code| {
            let end = i + c.len_utf8();
            match spans.last_mut() {
                Some(span) if span.end == i && span.face == face && span.code == code => {
                    span.end = end;
                }
                _ => spans.push(Span {
                    start: i,
                    end,
                    face,
                    code,
                }),
            }
        })
    }
}

/// Pens for text in `base` style and for inline code inside it.
fn pens(base: Style) -> [Pen; 2] {
    [Pen::new(base), Pen::new(code_style(base))]
}

/// Breaks `text` into lines no wider than `width`; newlines always break.
///
/// Spaces between words take the `base` style; a word wider than a line is split between
/// characters, so nothing ever overflows its column.
pub fn wrap(text: &str, base: Style, width: f32, inline_code: bool) -> Vec<Line> {
    let space = advance(' ', base);
    let pens = pens(base);
    let mut lines = Vec::new();
    let mut spans = Vec::new();
    for paragraph in text.split('\n') {
        let capacity = paragraph.len().min(RUN_CAPACITY);
        let mut words = Words::new(paragraph, pens, inline_code);
        let mut line = Line::new();
        let mut used = 0.0;
        while let Some(word_width) = words.next_spans(&mut spans) {
            let gap = if line.is_empty() { 0.0 } else { space };
            if used + gap + word_width <= width {
                if !line.is_empty() {
                    push(&mut line, " ", base, capacity);
                }
                for span in &spans {
                    let style = pens[usize::from(span.code)].with(span.face);
                    push(&mut line, &paragraph[span.start..span.end], style, capacity);
                }
                used += gap + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            for span in &spans {
                let style = pens[usize::from(span.code)].with(span.face);
                let text = &paragraph[span.start..span.end];
                for (i, c) in text.char_indices() {
                    let w = advance(c, style);
                    if used + w > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        used = 0.0;
                    }
                    push(&mut line, &text[i..i + c.len_utf8()], style, capacity);
                    used += w;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Widths of the longest word and of the longest line of `text` (words one space apart, as
/// [`wrap`] sets them): the narrowest a column can be without breaking a word, and the
/// widest it ever needs to be.
pub fn extent(text: &str, base: Style, inline_code: bool) -> (f32, f32) {
    let space = advance(' ', base);
    let pens = pens(base);
    let (mut longest_word, mut longest_line) = (0.0f32, 0.0f32);
    for paragraph in text.split('\n') {
        let mut words = Words::new(paragraph, pens, inline_code);
        let mut line: Option<f32> = None;
        while let Some(width) = words.next_width(|_, _, _, _| {}) {
            longest_word = longest_word.max(width);
            line = Some(line.map_or(width, |used| used + space + width));
        }
        longest_line = longest_line.max(line.unwrap_or(0.0));
    }
    (longest_word, longest_line)
}

/// `text` on a single line no wider than `width`, cut with an ellipsis when it is longer.
pub fn one_line(text: &str, style: Style, width: f32) -> Line {
    let text = if text.contains('\n') {
        std::borrow::Cow::Owned(text.replace('\n', " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let pen = Pen::new(style);
    let room = width - advance('…', style);
    let (mut total, mut used) = (0.0f32, 0.0f32);
    // Where the first character that leaves no room for the ellipsis starts.
    let mut cut = None;
    let mut line = Line::new();
    append(&mut line, &text, pen, |i, w| {
        total += w;
        if cut.is_none() {
            if used + w > room {
                cut = Some(i);
            } else {
                used += w;
            }
        }
    });
    if total <= width {
        return line;
    }
    let kept = cut.map_or(&*text, |i| &text[..i]);
    let mut line = Line::new();
    append(
        &mut line,
        kept.trim_end_matches(char::is_whitespace),
        pen,
        |_, _| {},
    );
    push(&mut line, "…", style, 0);
    line
}

/// Breaks one line of code into pieces no wider than `width`, continuing two columns
/// deeper than the line's own indentation so the structure stays readable.
pub fn wrap_code(line: &str, style: Style, width: f32) -> Vec<Line> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let column = advance(' ', style);
    // Without room for at least 20 columns after it, a hanging indent would do more harm.
    let hang = if (indent + 2 + 20) as f32 * column <= width {
        indent + 2
    } else {
        0
    };
    let pen = Pen::new(style);
    let capacity = line.len().min(RUN_CAPACITY);
    let mut pieces = Vec::new();
    let mut piece = Line::new();
    // Characters in `piece`, the hanging indent included.
    let mut count = 0;
    let mut used = 0.0;
    // The stretch of `line` in one face not yet pushed to `piece`.
    let (mut start, mut current) = (0, style.face);
    for (i, c) in line.char_indices() {
        let (face, w) = pen.glyph(c);
        if used + w > width && count > hang {
            push(&mut piece, &line[start..i], pen.with(current), capacity);
            pieces.push(std::mem::take(&mut piece));
            if hang > 0 {
                let mut indent = String::with_capacity(capacity.max(hang));
                indent.extend(std::iter::repeat_n(' ', hang));
                piece.push(Run {
                    text: indent,
                    style,
                });
            }
            start = i;
            count = hang;
            used = hang as f32 * column;
        }
        if face != current {
            push(&mut piece, &line[start..i], pen.with(current), capacity);
            (start, current) = (i, face);
        }
        count += 1;
        used += w;
    }
    push(&mut piece, &line[start..], pen.with(current), capacity);
    pieces.push(piece);
    pieces
}

/// The previous layout, one `(char, Style)` per character: the reference the allocation-free
/// layout above must match run for run.
#[cfg(test)]
mod reference {
    use super::{Line, Run, Style, advance, code_style, face_for};

    fn styled(text: &str, base: Style, inline_code: bool) -> Vec<(char, Style)> {
        let mut out = Vec::with_capacity(text.len());
        let mut in_code = false;
        let backticks = inline_code && text.matches('`').count() >= 2;
        for c in text.chars() {
            if backticks && c == '`' {
                in_code = !in_code;
                continue;
            }
            let style = if in_code { code_style(base) } else { base };
            out.push((
                c,
                Style {
                    face: face_for(style.face, c),
                    ..style
                },
            ));
        }
        out
    }

    fn to_runs(chars: &[(char, Style)]) -> Line {
        let mut runs: Line = Vec::new();
        for &(c, style) in chars {
            match runs.last_mut() {
                Some(run) if run.style == style => run.text.push(c),
                _ => runs.push(Run {
                    text: c.to_string(),
                    style,
                }),
            }
        }
        runs
    }

    pub fn wrap(text: &str, base: Style, width: f32, inline_code: bool) -> Vec<Line> {
        let space = advance(' ', base);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let chars = styled(paragraph, base, inline_code);
            let mut line: Vec<(char, Style)> = Vec::new();
            let mut used = 0.0;
            for word in chars
                .split(|(c, _)| c.is_whitespace())
                .filter(|w| !w.is_empty())
            {
                let word_width: f32 = word.iter().map(|&(c, s)| advance(c, s)).sum();
                let gap = if line.is_empty() { 0.0 } else { space };
                if used + gap + word_width <= width {
                    if !line.is_empty() {
                        line.push((' ', base));
                    }
                    line.extend_from_slice(word);
                    used += gap + word_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(to_runs(&line));
                    line.clear();
                    used = 0.0;
                }
                for &(c, style) in word {
                    let w = advance(c, style);
                    if used + w > width && !line.is_empty() {
                        lines.push(to_runs(&line));
                        line.clear();
                        used = 0.0;
                    }
                    line.push((c, style));
                    used += w;
                }
            }
            lines.push(to_runs(&line));
        }
        lines
    }

    pub fn extent(text: &str, base: Style, inline_code: bool) -> (f32, f32) {
        let space = advance(' ', base);
        let (mut longest_word, mut longest_line) = (0.0f32, 0.0f32);
        for paragraph in text.split('\n') {
            let chars = styled(paragraph, base, inline_code);
            let mut line: Option<f32> = None;
            for word in chars
                .split(|(c, _)| c.is_whitespace())
                .filter(|w| !w.is_empty())
            {
                let width: f32 = word.iter().map(|&(c, s)| advance(c, s)).sum();
                longest_word = longest_word.max(width);
                line = Some(line.map_or(width, |used| used + space + width));
            }
            longest_line = longest_line.max(line.unwrap_or(0.0));
        }
        (longest_word, longest_line)
    }

    pub fn one_line(text: &str, style: Style, width: f32) -> Line {
        let chars = styled(&text.replace('\n', " "), style, false);
        let total: f32 = chars.iter().map(|&(c, s)| advance(c, s)).sum();
        if total <= width {
            return to_runs(&chars);
        }
        let room = width - advance('…', style);
        let mut kept = Vec::new();
        let mut used = 0.0;
        for &(c, s) in &chars {
            let w = advance(c, s);
            if used + w > room {
                break;
            }
            kept.push((c, s));
            used += w;
        }
        while kept.last().is_some_and(|(c, _)| c.is_whitespace()) {
            kept.pop();
        }
        kept.push(('…', style));
        to_runs(&kept)
    }

    pub fn wrap_code(line: &str, style: Style, width: f32) -> Vec<Line> {
        let chars = styled(line, style, false);
        let indent = chars.iter().take_while(|(c, _)| *c == ' ').count();
        let column = advance(' ', style);
        let hang = if (indent + 2 + 20) as f32 * column <= width {
            indent + 2
        } else {
            0
        };
        let mut pieces = Vec::new();
        let mut piece: Vec<(char, Style)> = Vec::new();
        let mut used = 0.0;
        for &(c, s) in &chars {
            let w = advance(c, s);
            if used + w > width && piece.len() > hang {
                pieces.push(to_runs(&piece));
                piece = vec![(' ', style); hang];
                used = hang as f32 * column;
            }
            piece.push((c, s));
            used += w;
        }
        pieces.push(to_runs(&piece));
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style::new(Face::Regular, 10.0);

    #[test]
    fn lines_fit_and_keep_every_word() {
        let text =
            "The quick `brown_fox()` jumps over the lazy dog. ".repeat(20) + &"x".repeat(300);
        let lines = wrap(&text, BODY, 200.0, true);
        for line in &lines {
            assert!(line_width(line) <= 200.0 + 1e-3);
        }
        let words: usize = lines
            .iter()
            .map(|l| l.iter().map(|r| r.text.as_str()).collect::<String>())
            .map(|l| l.split_whitespace().count())
            .sum();
        // 8 words per sentence, plus the long word split over the lines that hold it.
        let pieces = lines
            .iter()
            .filter(|l| l.iter().any(|r| r.text.contains("xx")))
            .count();
        assert_eq!(words, 20 * 8 + pieces);
    }

    #[test]
    fn backticks_become_monospace_runs() {
        let lines = wrap("call `len(x)` here", BODY, 500.0, true);
        let runs = &lines[0];
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[1].text, "len(x)");
        assert_eq!(runs[1].style.face, Face::Mono);
        // Without inline code, or with a lone backtick, the text is kept as written.
        assert_eq!(wrap("a ` b", BODY, 500.0, true)[0][0].text, "a ` b");
    }

    #[test]
    fn characters_missing_from_mono_fall_back_to_sans() {
        let c = ('\u{2000}'..='\u{2FFF}')
            .find(|&c| Face::Regular.metrics().has(c) && !Face::Mono.metrics().has(c))
            .expect("DejaVu Sans covers symbols DejaVu Sans Mono lacks");
        let lines = wrap_code(&format!("ok = '{c}'"), Style::new(Face::Mono, 9.0), 500.0);
        let fallback = lines[0].iter().find(|r| r.text.contains(c)).unwrap();
        assert_eq!(fallback.style.face, Face::Regular);
    }

    #[test]
    fn long_code_lines_wrap_with_their_indentation() {
        let style = Style::new(Face::Mono, 9.0);
        let line = format!("        x = {}", "a".repeat(200));
        let pieces = wrap_code(&line, style, 300.0);
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert!(line_width(piece) <= 300.0 + 1e-3);
        }
        assert!(
            pieces[1..]
                .iter()
                .all(|p| p[0].text.starts_with("          "))
        );
    }

    /// Text from an alphabet that exercises every rule: spaces of several kinds, newlines,
    /// backticks, characters DejaVu Sans Mono lacks, wide and zero-width characters.
    const ALPHABET: &str = "[a-zA-Z0-9 `\n\t.,_()é→中\u{a0}\u{2003}\u{200b}…W-]{0,120}";

    proptest::proptest! {
        #[test]
        fn layout_matches_the_reference(
            text in ALPHABET,
            width in 0.0f32..400.0,
            face in 0usize..4,
            size in 6.0f32..14.0,
            inline_code: bool,
        ) {
            let face = [Face::Regular, Face::Bold, Face::Mono, Face::Extra][face];
            let style = Style::new(face, size).gray(0.3);
            proptest::prop_assert_eq!(
                wrap(&text, style, width, inline_code),
                reference::wrap(&text, style, width, inline_code)
            );
            let (word, line) = extent(&text, style, inline_code);
            let (ref_word, ref_line) = reference::extent(&text, style, inline_code);
            proptest::prop_assert_eq!(word.to_bits(), ref_word.to_bits());
            proptest::prop_assert_eq!(line.to_bits(), ref_line.to_bits());
            proptest::prop_assert_eq!(
                one_line(&text, style, width),
                reference::one_line(&text, style, width)
            );
            for code in text.split('\n') {
                proptest::prop_assert_eq!(
                    wrap_code(code, style, width),
                    reference::wrap_code(code, style, width)
                );
            }
        }
    }

    #[test]
    fn layout_matches_the_reference_on_edge_cases() {
        let long = "x".repeat(300);
        let cases = [
            "",
            "\n",
            "\n\n a \n",
            "   ",
            "a  b   c",
            "``",
            "` `",
            "a``b",
            "`a` `b`",
            "one `two three` four `five",
            "`unclosed and `closed` then `open",
            "café → 中文 naïve",
            "        indented = code(\"→\")",
            "\u{a0}nbsp\u{a0}\u{a0}word\u{2003}em",
            "trailing space then a very long word ",
            long.as_str(),
        ];
        for text in cases {
            for width in [0.0, 5.0, 30.0, 80.0, 200.0, f32::MAX] {
                for style in [
                    BODY,
                    Style::new(Face::Mono, 9.0),
                    Style::new(Face::Bold, 12.0),
                ] {
                    for inline_code in [false, true] {
                        assert_eq!(
                            wrap(text, style, width, inline_code),
                            reference::wrap(text, style, width, inline_code),
                            "{text:?} at {width}"
                        );
                        let (w, l) = extent(text, style, inline_code);
                        let (rw, rl) = reference::extent(text, style, inline_code);
                        assert_eq!((w.to_bits(), l.to_bits()), (rw.to_bits(), rl.to_bits()));
                    }
                    assert_eq!(
                        one_line(text, style, width),
                        reference::one_line(text, style, width),
                        "{text:?} at {width}"
                    );
                    assert_eq!(
                        wrap_code(text, style, width),
                        reference::wrap_code(text, style, width),
                        "{text:?} at {width}"
                    );
                }
            }
        }
    }
}
