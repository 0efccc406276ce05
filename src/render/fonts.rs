//! The embedded DejaVu fonts: glyph metrics for layout, and per-document subsets for embedding.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::ParsedFont;

use crate::error::{Error, Result};

/// The faces a document uses: three embedded, and one the user may add for characters
/// the embedded ones lack (`--font PATH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Face {
    /// Body text.
    Regular,
    /// Headings and labels.
    Bold,
    /// Code.
    Mono,
    /// The user's fallback font, see [`register_extra`].
    Extra,
}

/// The user's fallback font, set at most once per process.
static EXTRA: OnceLock<Metrics> = OnceLock::new();

/// Adds a TrueType/OpenType font used for any character the embedded fonts lack.
///
/// Registered once per process, so every document of a run is drawn with the same fonts;
/// registering a second, different font is an error.
pub fn register_extra(bytes: Vec<u8>, name: &str) -> Result<()> {
    let fail = |message: String| Error::Render {
        document: "fonts".into(),
        message,
    };
    if let Some(existing) = EXTRA.get() {
        return if *existing.bytes == *bytes {
            Ok(())
        } else {
            Err(fail("only one extra font can be used per run".into()))
        };
    }
    let font = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or_else(|| {
        fail(format!(
            "`{name}` is not a TrueType or OpenType font interview-kit can read"
        ))
    })?;
    // Losing a race to another thread registering the same font is harmless.
    let _ = EXTRA.set(Metrics::new(bytes.into(), font));
    Ok(())
}

impl Face {
    /// The fixed resource name of this face in every PDF (random ids would break byte-identity).
    pub fn resource_id(self) -> &'static str {
        match self {
            Face::Regular => "F1",
            Face::Bold => "F2",
            Face::Mono => "F3",
            Face::Extra => "F4",
        }
    }

    /// This face and the faces that stand in for characters it lacks, in order.
    pub fn fallbacks(self) -> Vec<Face> {
        let mut chain = match self {
            Face::Regular | Face::Extra => vec![Face::Regular],
            Face::Bold => vec![Face::Bold, Face::Regular],
            Face::Mono => vec![Face::Mono, Face::Regular],
        };
        if EXTRA.get().is_some() {
            chain.push(Face::Extra);
        }
        chain
    }

    /// Metrics of the full face, parsed once per process.
    pub fn metrics(self) -> &'static Metrics {
        static FACES: OnceLock<[Metrics; 3]> = OnceLock::new();
        let faces = FACES.get_or_init(|| {
            [
                include_bytes!("fonts/DejaVuSans.ttf").as_slice(),
                include_bytes!("fonts/DejaVuSans-Bold.ttf").as_slice(),
                include_bytes!("fonts/DejaVuSansMono.ttf").as_slice(),
            ]
            .map(Metrics::embedded)
        });
        match self {
            Face::Regular => &faces[0],
            Face::Bold => &faces[1],
            Face::Mono => &faces[2],
            // Only chosen by `fallbacks`, which offers it once it is registered.
            Face::Extra => EXTRA.get().unwrap_or(&faces[0]),
        }
    }
}

/// Glyph lookup and advance widths of one face.
pub struct Metrics {
    bytes: std::borrow::Cow<'static, [u8]>,
    font: ParsedFont,
    advances: Vec<u16>,
}

/// Advance widths of the Basic Multilingual Plane, indexed by code point; `MISSING` where the
/// face has no glyph. Layout measures every character of every line, and a dense table turns
/// each lookup into one index instead of two tree searches.
const MISSING: u16 = u16::MAX;

impl Metrics {
    fn embedded(bytes: &'static [u8]) -> Metrics {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the embedded DejaVu fonts parse");
        Metrics::new(bytes.into(), font)
    }

    fn new(bytes: std::borrow::Cow<'static, [u8]>, font: ParsedFont) -> Metrics {
        let mut advances = vec![MISSING; 0x1_0000];
        for (&cp, &gid) in &font.codepoint_to_glyph {
            if let Some(slot) = advances.get_mut(cp as usize) {
                *slot = font.get_glyph_width(gid).unwrap_or(0).min(MISSING - 1);
            }
        }
        Metrics {
            bytes,
            font,
            advances,
        }
    }

    /// Whether the face has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        match self.advances.get(c as usize) {
            Some(&advance) => advance != MISSING,
            None => self.font.lookup_glyph_index(c as u32).is_some(),
        }
    }

    /// Width of `text` at `size` points, summing advances (printpdf draws without kerning too).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| self.advance(c)).sum();
        units as f32 * size / f32::from(self.font.units_per_em)
    }

    fn advance(&self, c: char) -> u32 {
        match self.advances.get(c as usize) {
            Some(&MISSING) => 0,
            Some(&advance) => u32::from(advance),
            None => self
                .font
                .lookup_glyph_index(c as u32)
                .and_then(|gid| self.font.get_glyph_width(gid))
                .map_or(0, u32::from),
        }
    }

    /// A copy of the face holding only the glyphs for `chars`, ready to embed.
    ///
    /// Subsets are cached per process by face and character set: the documents of a batch
    /// mostly draw the same characters, and an identical subset is also what lets the
    /// compressed font program be reused.
    pub fn subset(&self, face: Face, chars: &BTreeSet<char>) -> Result<Arc<ParsedFont>> {
        let key = (face, chars.iter().collect::<String>());
        if let Some(font) = subsets()
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned())
        {
            return Ok(font);
        }
        let fail = |message: String| Error::Render {
            document: "fonts".into(),
            message,
        };
        // Glyph 0 (.notdef) must come first, and allsorts wants each glyph once.
        let mut glyphs: Vec<u16> = vec![0];
        let used: BTreeSet<u16> = chars
            .iter()
            .filter_map(|&c| self.font.lookup_glyph_index(c as u32))
            .filter(|&gid| gid != 0)
            .collect();
        glyphs.extend(used);
        let data = ReadScope::new(&self.bytes)
            .read::<FontData<'_>>()
            .map_err(|e| fail(e.to_string()))?;
        let provider = data.table_provider(0).map_err(|e| fail(e.to_string()))?;
        let bytes = subset(&provider, &glyphs, &subset_profile(), CmapTarget::Unicode)
            .map_err(|e| fail(e.to_string()))?;
        let font = Arc::new(
            ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
                .ok_or_else(|| fail("subset font does not parse".into()))?,
        );
        if let Ok(mut cache) = subsets().lock()
            && cache.len() < 1024
        {
            cache.insert(key, font.clone());
        }
        Ok(font)
    }
}

type SubsetCache = Mutex<HashMap<(Face, String), Arc<ParsedFont>>>;

fn subsets() -> &'static SubsetCache {
    static CACHE: OnceLock<SubsetCache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Characters every subset of a face holds, so that documents drawing only these (most
/// draw little else) share one subset and its compressed program.
///
/// Body text always holds printable ASCII and common typographic marks, so its subset is
/// nearly always the shared one. Code and headings draw few characters, and padding their
/// subsets with all of ASCII would cost more bytes than sharing saves time.
pub fn base_charset(face: Face) -> BTreeSet<char> {
    match face {
        Face::Regular => (' '..='~').chain("•…–—‘’“”·×é".chars()).collect(),
        Face::Bold => ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain(" :·&-".chars())
            .collect(),
        Face::Mono | Face::Extra => BTreeSet::new(),
    }
}

/// Tables kept in an embedded subset: allsorts' PDF profile without `name`, whose licence
/// and naming strings are several kilobytes per font that no PDF reader looks at.
fn subset_profile() -> SubsetProfile {
    use allsorts::tag;
    SubsetProfile::Custom(vec![
        tag::CMAP,
        tag::HEAD,
        tag::CVT,
        tag::FPGM,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::POST,
        tag::PREP,
    ])
}

/// The first character of `text` that `face` has no glyph for (control characters aside).
///
/// Returns the first character `face` cannot draw, so the caller can name it in an error
/// instead of letting it vanish from the page.
pub fn missing_char(face: Face, text: &str) -> Option<char> {
    let metrics = face.metrics();
    text.chars().find(|&c| !c.is_control() && !metrics.has(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_glyph_advances() {
        let m = Face::Regular.metrics();
        assert!(m.width("WWW", 10.0) > m.width("iii", 10.0));
        assert_eq!(m.width("", 10.0), 0.0);
        let mono = Face::Mono.metrics();
        assert!((mono.width("iii", 10.0) - mono.width("WWW", 10.0)).abs() < 1e-3);
    }

    #[test]
    fn accented_names_are_covered_and_cjk_is_not() {
        assert_eq!(missing_char(Face::Regular, "José Núñez Łukasz Zoë"), None);
        assert_eq!(missing_char(Face::Bold, "李"), Some('李'));
    }

    #[test]
    fn subsets_are_small_and_keep_the_characters() {
        let chars: BTreeSet<char> = "José Núñez".chars().collect();
        let font = Face::Regular
            .metrics()
            .subset(Face::Regular, &chars)
            .unwrap();
        assert!(
            font.original_bytes.len() < 30_000,
            "{}",
            font.original_bytes.len()
        );
        assert!(
            chars
                .iter()
                .all(|&c| font.lookup_glyph_index(c as u32).is_some())
        );
    }
}
