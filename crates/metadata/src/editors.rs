//! Image editors by name: the software fields of a file (EXIF `Software`,
//! XMP `CreatorTool`, edit history) that say it was opened and saved again
//! by one.

/// Editors, matched case-insensitively inside the field. Camera firmware,
/// phone OS versions and transfer tools (which copy files unchanged) are
/// deliberately absent.
const EDITORS: &[&str] = &[
    "photoshop",
    "lightroom",
    "gimp",
    "paint shop",
    "paint.net",
    "pixelmator",
    "affinity photo",
    "snapseed",
    "picsart",
    "facetune",
    "canva",
    "luminar",
    "capture one",
    "acdsee",
    "picasa",
    "windows photo gallery",
    "krita",
    "darktable",
    "rawtherapee",
    "photoscape",
    "fotor",
    "corel",
];

/// The editor `field` names (its lower-case key in the list), if any.
pub fn editor_named(field: &str) -> Option<&'static str> {
    let lower = field.to_lowercase();
    EDITORS.iter().copied().find(|e| lower.contains(e))
}

/// Whether any software field of `m` names an editor.
pub fn names_an_editor(m: &crate::Metadata) -> bool {
    let exif = m.exif.as_ref().and_then(|e| e.software.as_deref());
    let xmp = m.xmp.as_ref();
    exif.into_iter()
        .chain(xmp.and_then(|x| x.creator_tool.as_deref()))
        .chain(
            xmp.into_iter()
                .flat_map(|x| x.history_agents.iter().map(String::as_str)),
        )
        .any(|f| editor_named(f).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_are_found_inside_longer_fields() {
        assert_eq!(
            editor_named("Adobe Photoshop CS2 Windows"),
            Some("photoshop")
        );
        assert_eq!(editor_named("GIMP 2.4.5"), Some("gimp"));
        assert_eq!(editor_named("Ver.1.00"), None);
        assert_eq!(editor_named("iOS 17.1"), None);
    }
}
