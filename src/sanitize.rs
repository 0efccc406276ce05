//! Text sanitising: names cleaned of invisible marks, fields refused for characters that have no place in them, text quoted safely in messages.

use crate::limits::{MAX_NAME_CHARS, thousands};

/// Why `text` (a field called `field`) breaks a limit: longer than `max_chars` characters,
/// or holding a character that has no place in it. `None` when it is fine.
///
/// Tabs and line breaks are allowed; other control characters (NUL, escape, …) and the
/// bidirectional controls that reorder how text is displayed (U+202A–U+202E and
/// U+2066–U+2069, the "Trojan Source" characters) are not: they would print as nothing,
/// or make a prompt or code snippet read differently from what it is.
pub fn text_problem(field: &str, text: &str, max_chars: usize) -> Option<String> {
    // A character takes at least one byte: only a text longer in bytes can be too long.
    let chars = match text.len() > max_chars {
        true => text.chars().count(),
        false => 0,
    };
    if chars > max_chars {
        return Some(format!(
            "`{field}` is {} characters long; the limit is {} (see Limits in the README); shorten it",
            thousands(chars),
            thousands(max_chars)
        ));
    }
    // Most text is printable ASCII, which a byte scan clears; characters are decoded only
    // from the first other byte on (and the bytes before it are one character each).
    let ascii = text
        .bytes()
        .position(|b| !((b' '..=b'~').contains(&b) || matches!(b, b'\t' | b'\n' | b'\r')))?;
    let (index, c) = text[ascii..]
        .chars()
        .enumerate()
        .find(|(_, c)| !matches!(c, '\t' | '\n' | '\r') && forbidden(*c))
        .map(|(i, c)| (ascii + i, c))?;
    Some(format!(
        "`{field}` contains {} at character {}; remove it",
        describe(c),
        index + 1
    ))
}

/// Characters stripped from names: invisible marks that carry no letters and are often
/// pasted along with names from right-to-left text or web pages (left-to-right and
/// right-to-left marks, Arabic letter mark, zero-width space, word joiner, byte order mark).
const INVISIBLE: [char; 6] = [
    '\u{200B}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{2060}', '\u{FEFF}',
];

/// A name printed on documents (a candidate's name), cleaned, or why it is refused.
///
/// Invisible direction marks are stripped and surrounding spaces trimmed. Control
/// characters (NUL, tab, line breaks, escape, …), line and paragraph separators and the
/// bidirectional embedding, override and isolate characters are refused, since they would
/// break the page layout or make the printed name read differently from the stored one.
/// `/`, `..` and every other printable character are kept: the folder name is a slug.
pub fn clean_name(raw: &str) -> std::result::Result<String, String> {
    let name: String = raw.chars().filter(|c| !INVISIBLE.contains(c)).collect();
    let name = name.trim();
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "the name is {} characters long; the limit is {MAX_NAME_CHARS}",
            thousands(chars)
        ));
    }
    if let Some((index, c)) = name.chars().enumerate().find(|(_, c)| forbidden(*c)) {
        return Err(format!(
            "the name contains {} at character {}; remove it",
            describe(c),
            index + 1
        ));
    }
    Ok(name.to_owned())
}

/// A one-line name or title (topic title, blueprint role): at most `MAX_NAME_CHARS`
/// characters and no character [`clean_name`] refuses. `None` when it is fine.
pub fn name_problem(field: &str, text: &str) -> Option<String> {
    let chars = text.chars().count();
    if chars > MAX_NAME_CHARS {
        return Some(format!(
            "`{field}` is {} characters long; the limit is {MAX_NAME_CHARS} (see Limits in the README); shorten it",
            thousands(chars)
        ));
    }
    let (index, c) = text.chars().enumerate().find(|(_, c)| forbidden(*c))?;
    Some(format!(
        "`{field}` contains {} at character {}; remove it",
        describe(c),
        index + 1
    ))
}

/// Control characters, line and paragraph separators, and bidirectional controls.
fn forbidden(c: char) -> bool {
    is_control(c) || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// [`char::is_control`] (general category Cc) without its table lookup: Cc is exactly
/// U+0000–U+001F and U+007F–U+009F.
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Embedding, override and isolate controls: they change the display order of what follows.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// "the control character U+0000" or "the bidirectional control U+202E".
fn describe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if is_bidi_control(c) {
        format!("the bidirectional control {code} (it reorders how text is displayed)")
    } else if is_control(c) {
        format!("the control character {code}")
    } else {
        format!("the line separator {code}")
    }
}

/// `text` made safe to echo in a message: control and bidirectional characters escaped,
/// and cut to 60 characters, so an error cannot drive the terminal or fill the screen.
pub fn shown(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if forbidden(c) || INVISIBLE.contains(&c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_control_is_exactly_the_cc_category() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_control(c), c.is_control(), "{:04X}", u32::from(c));
        }
    }
}
