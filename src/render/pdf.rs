//! Laid-out pages to PDF bytes with printpdf: subset fonts under fixed ids, no clock, no random ids.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Color, FontId, Greyscale, Mm, Op, PageAnnotId, PageAnnotation, PaintMode, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};
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

/// Serialises `pages` as a PDF; identical input always gives identical bytes.
pub fn write(pages: &[Page], paper: Paper, meta: &Meta<'_>) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(meta.title);
    doc.metadata.info.author = meta.author.to_owned();
    doc.metadata.info.subject = meta.subject.to_owned();
    doc.metadata.info.keywords = meta.keywords.clone();
    doc.metadata.info.creator = "interview-kit".to_owned();
    doc.metadata.info.producer = "interview-kit (printpdf)".to_owned();

    for (face, mut chars) in characters(pages) {
        chars.extend(fonts::base_charset(face));
        let font = face.metrics().subset(face, &chars)?;
        doc.resources.fonts.map.insert(
            FontId(face.resource_id().to_owned()),
            PdfFont::new((*font).clone()),
        );
    }

    let width = Mm::from(Pt(paper.width));
    let height = Mm::from(Pt(paper.height));
    doc.pages = pages
        .iter()
        .map(|page| PdfPage::new(width, height, ops(page, paper)))
        .collect();
    for (number, page) in pages.iter().enumerate() {
        for (i, name) in page.bookmarks.iter().enumerate() {
            // Fixed ids: `add_bookmark` would draw random ones and reorder the outline.
            doc.bookmarks.map.insert(
                PageAnnotId(format!("b{number:04}-{i:02}")),
                PageAnnotation {
                    name: name.clone(),
                    page: number + 1,
                },
            );
        }
    }

    let mut warnings = Vec::new();
    let mut lopdf = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    // printpdf fills the trailer /ID with random characters; a hash of the content keeps
    // the file byte-identical across runs while still unique per document.
    let id = document_id(pages, meta);
    lopdf.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
            lopdf::Object::String(id, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    compress(&mut lopdf)?;
    let mut bytes = Vec::new();
    lopdf.save_to(&mut bytes).map_err(|e| Error::Render {
        document: meta.title.to_owned(),
        message: e.to_string(),
    })?;
    Ok(bytes)
}

/// Deflates every stream not yet filtered, at a moderate level, reusing earlier results.
///
/// lopdf's own `compress` uses the slowest level; level 6 is several times faster for a few
/// percent more bytes. Font programs recur across the documents of a batch, so their
/// compressed bytes are cached by content hash for the whole process.
fn compress(doc: &mut lopdf::Document) -> Result<()> {
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") || stream.content.len() < 64 {
            continue;
        }
        // Only big streams (font programs) repeat across documents; hashing page streams
        // would cost more than it could save.
        let compressed = if stream.content.len() > CACHE_FROM {
            let key: [u8; 32] = Sha256::digest(&stream.content).into();
            let cached = deflated()
                .lock()
                .ok()
                .and_then(|cache| cache.get(&key).cloned());
            match cached {
                Some(bytes) => bytes,
                None => {
                    let bytes = std::sync::Arc::new(deflate(&stream.content)?);
                    if let Ok(mut cache) = deflated().lock()
                        && cache.len() < 256
                    {
                        cache.entry(key).or_insert_with(|| bytes.clone());
                    }
                    bytes
                }
            }
        } else {
            std::sync::Arc::new(deflate(&stream.content)?)
        };
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed.to_vec());
        }
    }
    Ok(())
}

/// Streams larger than this are font programs, worth caching by content.
const CACHE_FROM: usize = 8192;

fn deflate(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(LEVEL),
    );
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| Error::Render {
            document: "PDF".into(),
            message: format!("cannot compress a stream: {e}"),
        })
}

/// Deflate level: 6 compresses page streams within a few percent of 9 at a fraction of the time.
const LEVEL: u32 = 6;

type DeflateCache = std::sync::Mutex<std::collections::HashMap<[u8; 32], std::sync::Arc<Vec<u8>>>>;

fn deflated() -> &'static DeflateCache {
    static CACHE: std::sync::OnceLock<DeflateCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The characters each face draws, so each font is subset to exactly what the document needs.
fn characters(pages: &[Page]) -> BTreeMap<Face, BTreeSet<char>> {
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for draw in pages.iter().flat_map(|p| &p.draws) {
        if let Draw::Text { style, text, .. } = draw {
            used.entry(style.face).or_default().extend(text.chars());
        }
    }
    used
}

fn document_id(pages: &[Page], meta: &Meta<'_>) -> Vec<u8> {
    let mut hash = Sha256::new();
    hash.update(meta.title.as_bytes());
    hash.update(meta.subject.as_bytes());
    for draw in pages.iter().flat_map(|p| &p.draws) {
        if let Draw::Text { text, .. } = draw {
            hash.update(text.as_bytes());
            hash.update([0]);
        }
    }
    hash.finalize()[..16].to_vec()
}

fn gray(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

/// The page as PDF operators: shapes first, then all text in one text object.
///
/// Text never sits under a shape this way (fills are backgrounds). Colours, line width and
/// font are set only when they change, and each line after the first moves the text
/// position relatively (`Td`) from the line before, which is short and repeats well under
/// compression; `SetTextCursor` is relative in printpdf, so the deltas are computed here.
fn ops(page: &Page, paper: Paper) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut fill_colour: Option<u32> = None;
    let mut stroke_width: Option<u32> = None;
    let mut stroke_colour = false;
    for draw in merge_bands(&page.draws) {
        if let Draw::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } = &draw
        {
            let mode = match (fill, stroke) {
                (Some(_), Some(_)) => PaintMode::FillStroke,
                (Some(_), None) => PaintMode::Fill,
                _ => PaintMode::Stroke,
            };
            if let Some(level) = fill
                && fill_colour != Some(level.to_bits())
            {
                ops.push(Op::SetFillColor { col: gray(*level) });
                fill_colour = Some(level.to_bits());
            }
            if let Some(width) = stroke {
                if stroke_width != Some(width.to_bits()) {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    stroke_width = Some(width.to_bits());
                }
                if !stroke_colour {
                    ops.push(Op::SetOutlineColor { col: gray(0.35) });
                    stroke_colour = true;
                }
            }
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(round(*x)),
                    y: Pt(round(paper.height - y - h)),
                    width: Pt(round(*w)),
                    height: Pt(round(*h)),
                    mode: Some(mode),
                    winding_order: None,
                },
            });
        }
    }
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
                ops.push(Op::StartTextSection);
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(px), Pt(py)),
                });
            }
            Some((ox, oy)) => ops.push(Op::SetTextCursor {
                pos: Point {
                    x: Pt(round(px - ox)),
                    y: Pt(round(py - oy)),
                },
            }),
        }
        origin = Some((px, py));
        if fill_colour != Some(style.gray.to_bits()) {
            ops.push(Op::SetFillColor {
                col: gray(style.gray),
            });
            fill_colour = Some(style.gray.to_bits());
        }
        if font != Some((style.face, style.size.to_bits())) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(style.face.resource_id().to_owned())),
                size: Pt(style.size),
            });
            font = Some((style.face, style.size.to_bits()));
        }
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.clone())],
        });
    }
    if origin.is_some() {
        ops.push(Op::EndTextSection);
    }
    ops
}

/// Shapes with fills stacked edge to edge (a code block's band, laid out line by line so
/// it can break across pages) merged into one rectangle per run.
fn merge_bands(draws: &[Draw]) -> Vec<Draw> {
    let mut out: Vec<Draw> = Vec::new();
    for draw in draws {
        if let Draw::Rect {
            x,
            y,
            w,
            h,
            fill: Some(level),
            stroke: None,
        } = draw
            && let Some(Draw::Rect {
                x: px,
                y: py,
                w: pw,
                h: ph,
                fill: Some(plevel),
                stroke: None,
            }) = out.last_mut()
            && px == x
            && pw == w
            && plevel == level
            && (*py + *ph - y).abs() < 0.01
        {
            *ph += h;
            continue;
        }
        if matches!(draw, Draw::Rect { .. }) {
            out.push(draw.clone());
        }
    }
    out
}

/// Positions to a hundredth of a point: finer than any printer, and short in the stream.
fn round(value: f32) -> f32 {
    (value * 100.0).round() / 100.0
}
