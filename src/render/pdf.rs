//! Laid-out pages to PDF bytes: printpdf and lopdf build and save the document, and this
//! module writes the parts where their serialisation was the cost — the page content
//! streams (glyph ids written directly) and the font objects (built and compressed once
//! per character set, then shared by every document that draws those characters).
//!
//! No clock, no random ids: identical pages give identical bytes, and what a document
//! contains depends on its own pages only, never on the documents written before it.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions, Pt};
use sha2::{Digest, Sha256};

use super::fonts::{self, Face};
use super::layout::{Draw, Page, Paper};
use crate::error::{Error, Result};

/// Document information written into the PDF.
pub struct Meta<'a> {
    /// Title shown by viewers.
    pub title: &'a str,
    /// Author field.
    pub author: &'a str,
    /// Subject field.
    pub subject: &'a str,
    /// Keywords.
    pub keywords: Vec<String>,
}

/// [`Meta`] with owned strings, as layout returns it.
#[derive(Debug, Clone)]
pub struct OwnedMeta {
    /// Title shown by viewers.
    pub title: String,
    /// Subject field.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
}

impl OwnedMeta {
    /// The metadata as [`Meta`], authored by interview-kit.
    pub fn borrowed(&self) -> Meta<'_> {
        Meta {
            title: &self.title,
            author: "interview-kit",
            subject: &self.subject,
            keywords: self.keywords.clone(),
        }
    }
}

fn render_error(message: String) -> Error {
    Error::Render {
        document: "PDF".into(),
        message,
    }
}

/// Serialises `pages` as a PDF; identical input always gives identical bytes.
///
/// printpdf lays down the document: catalog, page tree with the paper size, document
/// information. Into that lopdf document go the content streams and fonts written here,
/// and the outline; lopdf saves it.
pub fn write(pages: &[Page], paper: Paper, meta: &Meta<'_>) -> Result<Vec<u8>> {
    let fonts = document_fonts(pages)?;

    let mut doc = PdfDocument::new(meta.title);
    doc.metadata.info.author = meta.author.to_owned();
    doc.metadata.info.subject = meta.subject.to_owned();
    doc.metadata.info.keywords = meta.keywords.clone();
    doc.metadata.info.creator = "interview-kit".to_owned();
    doc.metadata.info.producer = "interview-kit (printpdf)".to_owned();
    let (width, height) = (Mm::from(Pt(paper.width)), Mm::from(Pt(paper.height)));
    doc.pages = pages
        .iter()
        .map(|_| PdfPage::new(width, height, Vec::new()))
        .collect();
    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut lopdf = doc.to_lopdf_document(&options, &mut Vec::new());

    let mut id_hash = Sha256::new();
    id_hash.update(meta.title.as_bytes());
    id_hash.update([0]);
    id_hash.update(meta.subject.as_bytes());
    let mut one_byte = None;
    let font_refs: Vec<(Face, ObjectId)> = fonts
        .iter()
        .map(|font| {
            id_hash.update(font.base_font.as_bytes());
            (font.face, font.add_to(&mut lopdf, &mut one_byte))
        })
        .collect();

    let page_ids: Vec<ObjectId> = lopdf.get_pages().into_values().collect();
    if page_ids.len() != pages.len() {
        return Err(render_error(
            "printpdf wrote a different number of pages".into(),
        ));
    }
    let mut content = Vec::with_capacity(16 * 1024);
    let mut font_dict = None;
    for (page, &page_id) in pages.iter().zip(&page_ids) {
        content.clear();
        page_content(page, paper, &fonts, &mut content);
        let compressed = deflate(&content, PAGE_LEVEL)?;
        id_hash.update(&compressed);
        let mut dict = Dictionary::new();
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let stream = Stream::new(dict, compressed).with_compression(false);
        let page_dict = lopdf
            .get_dictionary_mut(page_id)
            .map_err(|e| render_error(e.to_string()))?;
        let contents = page_dict
            .get(b"Contents")
            .and_then(Object::as_reference)
            .map_err(|e| render_error(e.to_string()))?;
        // printpdf's empty extras: no annotations, and the boxes are the media box.
        page_dict.remove(b"Annots");
        page_dict.remove(b"TrimBox");
        page_dict.remove(b"CropBox");
        if font_dict.is_none() {
            font_dict = resources_font_dict(&lopdf, page_id);
        }
        lopdf.objects.insert(contents, Object::Stream(stream));
    }
    if let Some(dict_id) = font_dict
        && let Ok(dict) = lopdf.get_dictionary_mut(dict_id)
    {
        for (face, id) in &font_refs {
            dict.set(face.resource_id(), Object::Reference(*id));
        }
    }

    outline(&mut lopdf, pages, &page_ids)?;
    tidy_info(&mut lopdf);
    let id = id_hash.finalize()[..16].to_vec();
    lopdf.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    let mut bytes = Vec::with_capacity(64 * 1024);
    lopdf.save_to(&mut bytes).map_err(|e| Error::Render {
        document: meta.title.to_owned(),
        message: e.to_string(),
    })?;
    Ok(bytes)
}

/// The font dictionary every page's resources point at (printpdf shares one).
fn resources_font_dict(doc: &lopdf::Document, page: ObjectId) -> Option<ObjectId> {
    let page = doc.get_dictionary(page).ok()?;
    let resources = match page.get(b"Resources").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(dict) => dict,
        _ => return None,
    };
    resources.get(b"Font").ok()?.as_reference().ok()
}

/// Document information without dates: a PDF of a kit is the same file whenever it is
/// made (printpdf would write 1 January 1970), and the empty PDF/X fields go too.
fn tidy_info(doc: &mut lopdf::Document) {
    let Ok(info) = doc.trailer.get(b"Info").and_then(Object::as_reference) else {
        return;
    };
    if let Ok(dict) = doc.get_dictionary_mut(info) {
        for key in [
            &b"CreationDate"[..],
            b"ModDate",
            b"Trapped",
            b"GTS_PDFXVersion",
            b"Identifier",
        ] {
            dict.remove(key);
        }
    }
}

/// The bookmarks as the document outline, in page order and, within a page, in the order
/// laid out (printpdf sorts a page's bookmarks by name, which puts "10" before "9").
fn outline(doc: &mut lopdf::Document, pages: &[Page], page_ids: &[ObjectId]) -> Result<()> {
    let marks: Vec<(&str, ObjectId)> = pages
        .iter()
        .zip(page_ids)
        .flat_map(|(page, &id)| page.bookmarks.iter().map(move |b| (b.as_str(), id)))
        .collect();
    if marks.is_empty() {
        return Ok(());
    }
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| doc.new_object_id()).collect();
    for (i, ((title, page), id)) in marks.iter().zip(&ids).enumerate() {
        let mut item = Dictionary::new();
        item.set("Title", text_string(title));
        item.set("Parent", Object::Reference(root));
        item.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(*page),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Null,
                Object::Null,
            ]),
        );
        if i > 0 {
            item.set("Prev", Object::Reference(ids[i - 1]));
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        doc.objects.insert(*id, Object::Dictionary(item));
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    outlines.set("Count", Object::Integer(ids.len() as i64));
    outlines.set("First", Object::Reference(ids[0]));
    outlines.set("Last", Object::Reference(ids[ids.len() - 1]));
    doc.objects.insert(root, Object::Dictionary(outlines));
    let catalog = doc.catalog_mut().map_err(|e| render_error(e.to_string()))?;
    catalog.set("Outlines", Object::Reference(root));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// A PDF text string: PDFDocEncoding (as ASCII) when it can be, else UTF-16BE with a BOM.
fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Object::String(text.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Deflate level of page content, chosen by measurement (README, "Performance"): with
/// one-byte glyph codes, level 2 takes 22 % fewer instructions than level 6 for 5 % more
/// content bytes, and level 1 saves little more time for 25 % more bytes.
const PAGE_LEVEL: u32 = 2;

/// Deflate level of font programs and ToUnicode maps: compressed once per character set
/// and reused, so the smallest output is worth the time.
const FONT_LEVEL: u32 = 9;

fn deflate(bytes: &[u8], level: u32) -> Result<Vec<u8>> {
    thread_local! {
        static COMPRESSORS: std::cell::RefCell<Vec<(u32, flate2::Compress)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cell| {
        let mut compressors = cell.borrow_mut();
        let index = match compressors.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                compressors.push((
                    level,
                    flate2::Compress::new(flate2::Compression::new(level), true),
                ));
                compressors.len() - 1
            }
        };
        let compress = &mut compressors[index].1;
        compress.reset();
        let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
        loop {
            let consumed = compress.total_in() as usize;
            let status = compress
                .compress_vec(
                    bytes.get(consumed..).unwrap_or_default(),
                    &mut out,
                    flate2::FlushCompress::Finish,
                )
                .map_err(|e| render_error(format!("cannot compress a stream: {e}")))?;
            match status {
                flate2::Status::StreamEnd => return Ok(out),
                _ => out.reserve(out.capacity().max(1024)),
            }
        }
    })
}

/// One face of one document, ready to add: the PDF objects of a subset font, built once
/// per character set and shared by every document that draws exactly that set.
struct FontObjects {
    face: Face,
    /// `/BaseFont`: a six-letter tag from the character set, `+`, the PostScript name.
    base_font: String,
    /// The deflated TrueType program and its length before deflating.
    program: Vec<u8>,
    program_length: usize,
    /// The deflated ToUnicode CMap, so text copies and extracts as written.
    to_unicode: Vec<u8>,
    /// `/W`: glyph widths in thousandths of an em.
    widths: Vec<Object>,
    descriptor: fonts::Descriptor,
    /// Whether every glyph id fits in one byte: text is then shown one byte per glyph
    /// through [`ONE_BYTE_CMAP`] instead of two through `Identity-H`.
    one_byte: bool,
    /// Glyph ids of the first 256 code points (0 when absent), then the rest sorted.
    low: [u16; 256],
    high: Vec<(char, u16)>,
}

impl FontObjects {
    fn build(face: Face, chars: &BTreeSet<char>) -> Result<FontObjects> {
        let metrics = face.metrics();
        let subset = metrics.subset(chars)?;
        let mut low = [0u16; 256];
        let mut high = Vec::new();
        for &(c, gid) in &subset.glyphs {
            match low.get_mut(c as usize) {
                Some(slot) => *slot = gid,
                None => high.push((c, gid)),
            }
        }
        let mut tag = Sha256::new();
        tag.update([face as u8]);
        for c in chars {
            tag.update(u32::from(*c).to_le_bytes());
        }
        let tag: String = tag.finalize()[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let base_font = format!("{tag}+{}", metrics.postscript_name(face));

        let one_byte = subset.widths.iter().all(|&(gid, _)| gid <= 0xFF);
        let per_mille = 1000.0 / f32::from(metrics.units_per_em());
        let mut widths = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut run_start = 0u16;
        let mut last: Option<u16> = None;
        for &(gid, width) in &subset.widths {
            let w = Object::Integer((f32::from(width) * per_mille).round() as i64);
            if last.is_some_and(|l| l + 1 == gid) {
                run.push(w);
            } else {
                if !run.is_empty() {
                    widths.push(Object::Integer(i64::from(run_start)));
                    widths.push(Object::Array(std::mem::take(&mut run)));
                }
                run_start = gid;
                run.push(w);
            }
            last = Some(gid);
        }
        if !run.is_empty() {
            widths.push(Object::Integer(i64::from(run_start)));
            widths.push(Object::Array(run));
        }

        Ok(FontObjects {
            face,
            base_font,
            program: deflate(&subset.program, FONT_LEVEL)?,
            program_length: subset.program.len(),
            to_unicode: deflate(to_unicode(&subset.glyphs, one_byte).as_bytes(), FONT_LEVEL)?,
            widths,
            descriptor: metrics.descriptor(),
            one_byte,
            low,
            high,
        })
    }

    /// The glyph id drawing `c`, or 0 (.notdef); layout checked every character beforehand.
    #[inline]
    fn gid(&self, c: char) -> u16 {
        match self.low.get(c as usize) {
            Some(&gid) => gid,
            None => self
                .high
                .binary_search_by_key(&c, |&(c, _)| c)
                .map_or(0, |i| self.high[i].1),
        }
    }

    /// Adds the font's objects to `doc`; returns the Type0 font's id. `one_byte` is the
    /// document's [`ONE_BYTE_CMAP`] stream, added by the first font that uses it.
    fn add_to(&self, doc: &mut lopdf::Document, one_byte: &mut Option<ObjectId>) -> ObjectId {
        let name = || Object::Name(self.base_font.as_bytes().to_vec());
        let mut program = Dictionary::new();
        program.set("Length1", Object::Integer(self.program_length as i64));
        program.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let program =
            doc.add_object(Stream::new(program, self.program.clone()).with_compression(false));
        let d = &self.descriptor;
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
        descriptor.set("FontName", name());
        descriptor.set(
            "Flags",
            Object::Integer(if self.face == Face::Mono { 33 } else { 32 }),
        );
        descriptor.set(
            "FontBBox",
            Object::Array(
                d.bbox
                    .iter()
                    .map(|&v| Object::Integer(i64::from(v)))
                    .collect(),
            ),
        );
        descriptor.set("ItalicAngle", Object::Integer(0));
        descriptor.set("Ascent", Object::Integer(i64::from(d.ascent)));
        descriptor.set("Descent", Object::Integer(i64::from(d.descent)));
        descriptor.set("CapHeight", Object::Integer(i64::from(d.cap_height)));
        descriptor.set("StemV", Object::Integer(i64::from(d.stem_v)));
        descriptor.set("FontFile2", Object::Reference(program));
        let descriptor = doc.add_object(descriptor);
        let mut cid = Dictionary::new();
        cid.set("Type", Object::Name(b"Font".to_vec()));
        cid.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        cid.set("BaseFont", name());
        cid.set("CIDSystemInfo", identity_system_info());
        cid.set("FontDescriptor", Object::Reference(descriptor));
        cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        cid.set("W", Object::Array(self.widths.clone()));
        let mut to_unicode = Dictionary::new();
        to_unicode.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let to_unicode = doc
            .add_object(Stream::new(to_unicode, self.to_unicode.clone()).with_compression(false));
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set("BaseFont", name());
        if self.one_byte {
            let cmap = *one_byte.get_or_insert_with(|| {
                let mut dict = Dictionary::new();
                dict.set("Type", Object::Name(b"CMap".to_vec()));
                dict.set("CMapName", Object::Name(b"OneByte-Identity-H".to_vec()));
                dict.set("CIDSystemInfo", identity_system_info());
                let bytes = match one_byte_cmap() {
                    Some(deflated) => {
                        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                        deflated.clone()
                    }
                    None => ONE_BYTE_CMAP.as_bytes().to_vec(),
                };
                doc.add_object(Stream::new(dict, bytes).with_compression(false))
            });
            font.set("Encoding", Object::Reference(cmap));
        } else {
            font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        }
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Dictionary(cid)]),
        );
        font.set("ToUnicode", Object::Reference(to_unicode));
        doc.add_object(font)
    }
}

/// `/CIDSystemInfo` of the fonts and of their one-byte encoding: Adobe-Identity-0.
fn identity_system_info() -> Object {
    let mut system = Dictionary::new();
    system.set(
        "Registry",
        Object::String(b"Adobe".to_vec(), StringFormat::Literal),
    );
    system.set(
        "Ordering",
        Object::String(b"Identity".to_vec(), StringFormat::Literal),
    );
    system.set("Supplement", Object::Integer(0));
    Object::Dictionary(system)
}

/// The encoding of a font whose glyph ids all fit in a byte: each byte of a string is one
/// glyph, its code the glyph id (CIDToGIDMap is the identity). Text strings then take half
/// the bytes of `Identity-H`, and compress faster and smaller.
const ONE_BYTE_CMAP: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
    /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n\
    /CMapName /OneByte-Identity-H def\n/CMapType 1 def\n\
    1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
    1 begincidrange\n<00> <FF> 0\nendcidrange\n\
    endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

/// [`ONE_BYTE_CMAP`] deflated, once per process (`None` if compressing failed).
fn one_byte_cmap() -> Option<&'static Vec<u8>> {
    static DEFLATED: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    DEFLATED
        .get_or_init(|| deflate(ONE_BYTE_CMAP.as_bytes(), FONT_LEVEL).ok())
        .as_ref()
}

/// The ToUnicode CMap of a subset: glyph id (one byte or two, as the font's text is
/// encoded) to the character it draws.
fn to_unicode(glyphs: &[(char, u16)], one_byte: bool) -> String {
    use std::fmt::Write as _;
    let mut map = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n",
    );
    map.push_str(if one_byte {
        "<00> <FF>\n"
    } else {
        "<0000> <FFFF>\n"
    });
    map.push_str("endcodespacerange\n");
    let mut sorted: Vec<(u16, char)> = glyphs.iter().map(|&(c, g)| (g, c)).collect();
    sorted.sort_unstable();
    sorted.dedup_by_key(|(g, _)| *g);
    for chunk in sorted.chunks(100) {
        let _ = writeln!(map, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            if one_byte {
                let _ = write!(map, "<{gid:02X}> <");
            } else {
                let _ = write!(map, "<{gid:04X}> <");
            }
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(map, "{unit:04X}");
            }
            map.push_str(">\n");
        }
        map.push_str("endbfchar\n");
    }
    map.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    map
}

/// Cached font objects by face and exact character set.
type FontCache = Mutex<HashMap<(Face, String), Arc<FontObjects>>>;

fn font_cache() -> &'static FontCache {
    static CACHE: OnceLock<FontCache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// At most this many character sets are kept: about 12 KB each.
const CACHED_FONTS: usize = 256;

/// The fonts `pages` draw with, each subset to the characters drawn plus its base set, in
/// face order.
fn document_fonts(pages: &[Page]) -> Result<Vec<Arc<FontObjects>>> {
    const FACES: [Face; 4] = [Face::Regular, Face::Bold, Face::Mono, Face::Extra];
    let mut low = [[0u64; 4]; 4];
    let mut high: [BTreeSet<char>; 4] = Default::default();
    let mut used = [false; 4];
    for draw in pages.iter().flat_map(|p| &p.draws) {
        if let Draw::Text { style, text, .. } = draw {
            let f = style.face as usize;
            used[f] = true;
            for c in text.chars() {
                let code = c as usize;
                if code < 256 {
                    low[f][code / 64] |= 1 << (code % 64);
                } else {
                    high[f].insert(c);
                }
            }
        }
    }
    let mut fonts = Vec::new();
    for (f, &face) in FACES.iter().enumerate() {
        if !used[f] {
            continue;
        }
        let mut chars: BTreeSet<char> = (0u8..=255)
            .filter(|&b| low[f][usize::from(b) / 64] & (1 << (b % 64)) != 0)
            .map(char::from)
            .collect();
        chars.extend(high[f].iter().copied());
        chars.extend(fonts::base_charset(face));
        let key = (face, chars.iter().collect::<String>());
        let cached = font_cache()
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned());
        let font = match cached {
            Some(font) => font,
            None => {
                let font = Arc::new(FontObjects::build(face, &chars)?);
                if let Ok(mut cache) = font_cache().lock()
                    && cache.len() < CACHED_FONTS
                {
                    cache.entry(key).or_insert_with(|| font.clone());
                }
                font
            }
        };
        fonts.push(font);
    }
    Ok(fonts)
}

/// Appends `value` rounded to a hundredth, without trailing zeros (`12`, `3.5`, `-0.25`).
fn number(out: &mut Vec<u8>, value: f32) {
    let hundredths = (f64::from(value) * 100.0).round() as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let abs = hundredths.unsigned_abs();
    let mut digits = itoa_buf(abs / 100);
    out.append(&mut digits);
    let frac = abs % 100;
    if frac != 0 {
        out.push(b'.');
        out.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

fn itoa_buf(mut value: u64) -> Vec<u8> {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    buf[at..].to_vec()
}

fn numbers(out: &mut Vec<u8>, values: &[f32], operator: &[u8]) {
    for &v in values {
        number(out, v);
        out.push(b' ');
    }
    out.extend_from_slice(operator);
    out.push(b'\n');
}

/// The page's content stream: shapes first, then all text in one text object.
///
/// Text never sits under a shape this way (fills are backgrounds). Colours, line width and
/// font are set only when they change; each line after the first moves the text position
/// relatively (`Td`) from the line before, which is short and repeats well under
/// compression; text is shown as glyph ids in a literal string, one byte each when the
/// font's subset has at most 256 glyphs (nearly always), else two.
fn page_content(page: &Page, paper: Paper, fonts: &[Arc<FontObjects>], out: &mut Vec<u8>) {
    let mut fill_colour: Option<u32> = None;
    let mut stroke_width: Option<u32> = None;
    let mut stroke_colour = false;
    for_each_band(
        &page.draws,
        |Band {
             x,
             y,
             w,
             h,
             fill,
             stroke,
         }| {
            if let Some(level) = fill
                && fill_colour != Some(level.to_bits())
            {
                numbers(out, &[level], b"g");
                fill_colour = Some(level.to_bits());
            }
            if let Some(width) = stroke {
                if stroke_width != Some(width.to_bits()) {
                    numbers(out, &[width], b"w");
                    stroke_width = Some(width.to_bits());
                }
                if !stroke_colour {
                    numbers(out, &[0.35], b"G");
                    stroke_colour = true;
                }
            }
            numbers(out, &[x, paper.height - y - h, w, h], b"re");
            out.extend_from_slice(match (fill, stroke) {
                (Some(_), Some(_)) => b"B\n",
                (Some(_), None) => b"f\n",
                _ => b"S\n",
            });
        },
    );
    let mut font: Option<(Face, u32)> = None;
    let mut origin: Option<(f32, f32)> = None;
    for draw in &page.draws {
        let Draw::Text {
            x, y, style, text, ..
        } = draw
        else {
            continue;
        };
        let (px, py) = (round(*x), round(paper.height - y));
        match origin {
            None => {
                out.extend_from_slice(b"BT\n");
                numbers(out, &[1.0, 0.0, 0.0, 1.0, px, py], b"Tm");
            }
            Some((ox, oy)) => numbers(out, &[px - ox, py - oy], b"Td"),
        }
        origin = Some((px, py));
        if fill_colour != Some(style.gray.to_bits()) {
            numbers(out, &[style.gray], b"g");
            fill_colour = Some(style.gray.to_bits());
        }
        if font != Some((style.face, style.size.to_bits())) {
            out.push(b'/');
            out.extend_from_slice(style.face.resource_id().as_bytes());
            out.push(b' ');
            numbers(out, &[style.size], b"Tf");
            font = Some((style.face, style.size.to_bits()));
        }
        let glyphs = fonts.iter().find(|f| f.face == style.face);
        let one_byte = glyphs.is_some_and(|f| f.one_byte);
        out.push(b'(');
        for c in text.chars() {
            let gid = glyphs.map_or(0, |f| f.gid(c));
            let [high, low] = gid.to_be_bytes();
            if !one_byte {
                string_byte(out, high);
            }
            string_byte(out, low);
        }
        out.extend_from_slice(b") Tj\n");
    }
    if origin.is_some() {
        out.extend_from_slice(b"ET\n");
    }
}

/// Appends one byte of a literal string, escaped where it would end the string or be read
/// as a line end.
#[inline]
fn string_byte(out: &mut Vec<u8>, byte: u8) {
    match byte {
        b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
        b'\r' => out.extend_from_slice(b"\\r"),
        _ => out.push(byte),
    }
}

/// A rectangle to paint: position and size in points from the top-left, fill grey, stroke width.
#[derive(Clone, Copy)]
struct Band {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    fill: Option<f32>,
    stroke: Option<f32>,
}

/// Calls `draw` for each rectangle of `draws`, with fills stacked edge to edge (a code
/// block's band, laid out line by line so it can break across pages) merged into one.
fn for_each_band(draws: &[Draw], mut draw: impl FnMut(Band)) {
    let mut emit = |b: Band| {
        draw(Band {
            x: round(b.x),
            y: round(b.y),
            w: round(b.w),
            h: round(b.h),
            ..b
        })
    };
    let mut pending: Option<Band> = None;
    for d in draws {
        let Draw::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } = *d
        else {
            continue;
        };
        if let Some(p) = &mut pending
            && fill.is_some()
            && stroke.is_none()
            && p.stroke.is_none()
            && p.fill == fill
            && p.x == x
            && p.w == w
            && (p.y + p.h - y).abs() < 0.01
        {
            p.h += h;
            continue;
        }
        if let Some(p) = pending.take() {
            emit(p);
        }
        pending = Some(Band {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        });
    }
    if let Some(p) = pending {
        emit(p);
    }
}

/// Positions to a hundredth of a point: finer than any printer, and short in the stream.
fn round(value: f32) -> f32 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        let mut out = Vec::new();
        for v in [12.0, 3.5, -0.25, 0.0, 841.89, 0.004, -1.006] {
            number(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "12 3.5 -0.25 0 841.89 0 -1.01 "
        );
    }

    #[test]
    fn text_strings_escape_delimiters() {
        assert!(
            matches!(text_string("Q1 (a)"), Object::String(b, StringFormat::Literal) if b == b"Q1 (a)")
        );
        assert!(
            matches!(text_string("Zoë"), Object::String(b, StringFormat::Hexadecimal) if b[..2] == [0xFE, 0xFF])
        );
    }
}
