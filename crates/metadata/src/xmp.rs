//! XMP: the RDF/XML packet most editors write (JPEG APP1, PNG iTXt, WebP,
//! TIFF and PDF all embed it as plain text), found by its markers and read
//! with `roxmltree`. Only the properties Bonafide uses are kept.

use roxmltree::{Document, Node};
use serde::Serialize;

use crate::MetadataError;

/// The XMP properties Bonafide reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Xmp {
    /// The tool that created the file (`xmp:CreatorTool`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator_tool: Option<String>,
    /// Software agents in the edit history (`xmpMM:History`), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history_agents: Vec<String>,
    /// IPTC's `DigitalSourceType` (e.g. `…/trainedAlgorithmicMedia` for AI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<String>,
    /// `xmp:CreateDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_date: Option<String>,
    /// `xmp:ModifyDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modify_date: Option<String>,
    /// The authors (`dc:creator`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub creators: Vec<String>,
    /// The rights statement (`dc:rights`), each language's.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rights: Vec<String>,
    /// The credit line (`photoshop:Credit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

const XMP: &str = "http://ns.adobe.com/xap/1.0/";
const ST_EVT: &str = "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#";
const IPTC_EXT: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Finds and reads the first XMP packet in a file: `Ok(None)` when there
/// is none, an error when it is there but not well-formed XML.
pub fn read_xmp(bytes: &[u8]) -> Result<Option<Xmp>, MetadataError> {
    let Some(packet) = packet(bytes) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(packet).map_err(|e| MetadataError::Xmp(e.to_string()))?;
    let doc = Document::parse(text).map_err(|e| MetadataError::Xmp(e.to_string()))?;
    let mut xmp = Xmp::default();
    for node in doc.descendants().filter(Node::is_element) {
        // Simple properties appear as attributes of rdf:Description or as
        // elements; both forms are read.
        for attr in node.attributes() {
            match (attr.namespace(), attr.name()) {
                (Some(XMP), "CreatorTool") => set(&mut xmp.creator_tool, attr.value()),
                (Some(XMP), "CreateDate") => set(&mut xmp.create_date, attr.value()),
                (Some(XMP), "ModifyDate") => set(&mut xmp.modify_date, attr.value()),
                (Some(IPTC_EXT), "DigitalSourceType") => {
                    set(&mut xmp.digital_source_type, attr.value())
                }
                (Some(ST_EVT), "softwareAgent") => push(&mut xmp.history_agents, attr.value()),
                (Some(PHOTOSHOP), "Credit") => set(&mut xmp.credit, attr.value()),
                _ => {}
            }
        }
        let text = || node.text().map(str::trim).filter(|t| !t.is_empty());
        match (node.tag_name().namespace(), node.tag_name().name()) {
            (Some(XMP), "CreatorTool") => set_opt(&mut xmp.creator_tool, text()),
            (Some(XMP), "CreateDate") => set_opt(&mut xmp.create_date, text()),
            (Some(XMP), "ModifyDate") => set_opt(&mut xmp.modify_date, text()),
            (Some(IPTC_EXT), "DigitalSourceType") => set_opt(&mut xmp.digital_source_type, text()),
            (Some(ST_EVT), "softwareAgent") => {
                if let Some(t) = text() {
                    push(&mut xmp.history_agents, t);
                }
            }
            (Some(PHOTOSHOP), "Credit") => set_opt(&mut xmp.credit, text()),
            // dc:creator and dc:rights hold their values in an rdf:Seq or
            // rdf:Alt of rdf:li items.
            (Some(RDF), "li") => {
                let property = node.ancestors().nth(2).map(|p| p.tag_name());
                let list = match property.map(|p| (p.namespace(), p.name())) {
                    Some((Some(DC), "creator")) => &mut xmp.creators,
                    Some((Some(DC), "rights")) => &mut xmp.rights,
                    _ => continue,
                };
                if let Some(t) = text() {
                    push(list, t);
                }
            }
            _ => {}
        }
    }
    Ok(Some(xmp))
}

fn set(slot: &mut Option<String>, value: &str) {
    set_opt(slot, Some(value.trim()).filter(|v| !v.is_empty()));
}

fn set_opt(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none() {
        *slot = value.map(str::to_owned);
    }
}

fn push(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        list.push(value.to_owned());
    }
}

/// The bytes from `<x:xmpmeta` to its closing tag (or, for packets without
/// the wrapper, the `rdf:RDF` element).
fn packet(bytes: &[u8]) -> Option<&[u8]> {
    for (open, close) in [
        (&b"<x:xmpmeta"[..], &b"</x:xmpmeta>"[..]),
        (&b"<rdf:RDF"[..], &b"</rdf:RDF>"[..]),
    ] {
        if let Some(start) = find(bytes, open) {
            let end = find(&bytes[start..], close)? + start + close.len();
            return Some(&bytes[start..end]);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_and_element_forms() {
        let packet = br#"junk<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Adobe Photoshop 25.0"
             xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
             xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
            <xmp:ModifyDate>2024-01-02T03:04:05Z</xmp:ModifyDate>
            <Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>
            <xmpMM:History><rdf:Seq>
              <rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop 25.0 (Macintosh)"/>
              <rdf:li><stEvt:softwareAgent>GIMP 2.10</stEvt:softwareAgent></rdf:li>
            </rdf:Seq></xmpMM:History>
          </rdf:Description></rdf:RDF></x:xmpmeta>trailing"#;
        let xmp = read_xmp(packet).unwrap().unwrap();
        assert_eq!(xmp.creator_tool.as_deref(), Some("Adobe Photoshop 25.0"));
        assert_eq!(xmp.modify_date.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(
            xmp.history_agents,
            ["Adobe Photoshop 25.0 (Macintosh)", "GIMP 2.10"]
        );
        assert!(
            xmp.digital_source_type
                .unwrap()
                .ends_with("trainedAlgorithmicMedia")
        );
        assert_eq!(read_xmp(b"no packet here").unwrap(), None);
    }

    #[test]
    fn authors_rights_and_credit() {
        let packet = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
             photoshop:Credit="Getty Images">
            <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>
            <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) 2024 Jane Doe, all rights reserved</rdf:li></rdf:Alt></dc:rights>
            <dc:subject><rdf:Bag><rdf:li>not an author</rdf:li></rdf:Bag></dc:subject>
          </rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let xmp = read_xmp(packet).unwrap().unwrap();
        assert_eq!(xmp.creators, ["Jane Doe"]);
        assert_eq!(xmp.rights, ["(c) 2024 Jane Doe, all rights reserved"]);
        assert_eq!(xmp.credit.as_deref(), Some("Getty Images"));
        assert!(read_xmp(b"<x:xmpmeta><unclosed></x:xmpmeta>").is_err());
    }
}
