//! COCO's object categories as the TF model zoo's detectors number them
//! (1–90, with the ids COCO 2017 dropped left empty), and the other words
//! a task may use for them.

use crate::Concept;

/// Category names by id; index 0 is the background, empty names are ids
/// COCO 2017 does not use.
pub const LABELS: [&str; 91] = [
    "",
    "person",
    "bicycle",
    "car",
    "motorcycle",
    "airplane",
    "bus",
    "train",
    "truck",
    "boat",
    "traffic light",
    "fire hydrant",
    "",
    "stop sign",
    "parking meter",
    "bench",
    "bird",
    "cat",
    "dog",
    "horse",
    "sheep",
    "cow",
    "elephant",
    "bear",
    "zebra",
    "giraffe",
    "",
    "backpack",
    "umbrella",
    "",
    "",
    "handbag",
    "tie",
    "suitcase",
    "frisbee",
    "skis",
    "snowboard",
    "sports ball",
    "kite",
    "baseball bat",
    "baseball glove",
    "skateboard",
    "surfboard",
    "tennis racket",
    "bottle",
    "",
    "wine glass",
    "cup",
    "fork",
    "knife",
    "spoon",
    "bowl",
    "banana",
    "apple",
    "sandwich",
    "orange",
    "broccoli",
    "carrot",
    "hot dog",
    "pizza",
    "donut",
    "cake",
    "chair",
    "couch",
    "potted plant",
    "bed",
    "",
    "dining table",
    "",
    "",
    "toilet",
    "",
    "tv",
    "laptop",
    "mouse",
    "remote",
    "keyboard",
    "cell phone",
    "microwave",
    "oven",
    "toaster",
    "sink",
    "refrigerator",
    "",
    "book",
    "clock",
    "vase",
    "scissors",
    "teddy bear",
    "hair drier",
    "toothbrush",
];

/// What each category is, for the sentence encoder: WordNet 3.0's gloss
/// of the category's sense where WordNet has one (the same source as the
/// ImageNet classes' definitions), else a gloss in its style. Without one,
/// a bare word list matches any task text about as well as another.
pub const DEFINITIONS: [(&str, &str); 80] = [
    ("person", "a human being"),
    (
        "bicycle",
        "a wheeled vehicle that has two wheels and is moved by foot pedals",
    ),
    (
        "car",
        "a motor vehicle with four wheels; usually propelled by an internal combustion engine",
    ),
    (
        "motorcycle",
        "a motor vehicle with two wheels and a strong frame",
    ),
    (
        "airplane",
        "an aircraft that has a fixed wing and is powered by propellers or jets",
    ),
    (
        "bus",
        "a vehicle carrying many passengers; used for public transport",
    ),
    (
        "train",
        "public transport provided by a line of railway cars coupled together and drawn by a locomotive",
    ),
    ("truck", "an automotive vehicle suitable for hauling"),
    ("boat", "a small vessel for travel on water"),
    (
        "traffic light",
        "a visual signal to control the flow of traffic at intersections",
    ),
    (
        "fire hydrant",
        "an upright hydrant on a street for drawing water to fight fires",
    ),
    (
        "stop sign",
        "a red street sign telling drivers to stop at an intersection",
    ),
    (
        "parking meter",
        "a coin-operated timer located next to a parking space",
    ),
    ("bench", "a long seat for more than one person"),
    (
        "bird",
        "warm-blooded egg-laying vertebrates characterized by feathers and forelimbs modified as wings",
    ),
    (
        "cat",
        "feline mammal usually having thick soft fur; domestic cats",
    ),
    (
        "dog",
        "a member of the genus Canis that has been domesticated by man since prehistoric times",
    ),
    (
        "horse",
        "solid-hoofed herbivorous quadruped domesticated since prehistoric times",
    ),
    (
        "sheep",
        "woolly usually horned ruminant mammal related to the goat",
    ),
    ("cow", "female of domestic cattle"),
    ("elephant", "five-toed pachyderm"),
    (
        "bear",
        "massive plantigrade carnivorous or omnivorous mammals with long shaggy coats and strong claws",
    ),
    (
        "zebra",
        "any of several fleet black-and-white striped African equines",
    ),
    (
        "giraffe",
        "tallest living quadruped; having a spotted coat and small horns and very long neck and legs",
    ),
    (
        "backpack",
        "a bag carried by a strap on your back or shoulder",
    ),
    ("umbrella", "a lightweight handheld collapsible canopy"),
    (
        "handbag",
        "a container used for carrying money and small personal items or accessories",
    ),
    (
        "tie",
        "neckwear consisting of a long narrow piece of material worn under a collar and tied in knot at the front",
    ),
    (
        "suitcase",
        "a portable rectangular container for carrying clothes",
    ),
    (
        "frisbee",
        "a light, plastic disk propelled with a flip of the wrist for recreation or competition",
    ),
    (
        "skis",
        "narrow wood or metal or plastic runners used in pairs for gliding over snow",
    ),
    (
        "snowboard",
        "a board that resembles a broad ski or a small surfboard; used in a standing position to slide down snow-covered slopes",
    ),
    (
        "sports ball",
        "round object that is hit or thrown or kicked in games",
    ),
    (
        "kite",
        "a plaything consisting of a light frame covered with paper, flown in the wind at the end of a long string",
    ),
    (
        "baseball bat",
        "an implement used in baseball by the batter",
    ),
    (
        "baseball glove",
        "the handwear used by fielders in playing baseball",
    ),
    (
        "skateboard",
        "a board with wheels that is ridden in a standing or crouching position",
    ),
    (
        "surfboard",
        "a long narrow board used to ride waves in the sport of surfing",
    ),
    ("tennis racket", "a racket used to play tennis"),
    (
        "bottle",
        "a glass or plastic vessel used for storing drinks or other liquids",
    ),
    (
        "wine glass",
        "a glass that has a stem and in which wine is served",
    ),
    (
        "cup",
        "a small open container usually used for drinking; usually has a handle",
    ),
    ("fork", "cutlery used for serving and eating food"),
    (
        "knife",
        "edge tool used as a cutting instrument; has a pointed blade with a sharp edge and a handle",
    ),
    (
        "spoon",
        "a piece of cutlery with a shallow bowl-shaped container and a handle",
    ),
    (
        "bowl",
        "a dish that is round and open at the top for serving foods",
    ),
    (
        "banana",
        "elongated crescent-shaped yellow fruit with soft sweet flesh",
    ),
    (
        "apple",
        "fruit with red or yellow or green skin and sweet to tart crisp whitish flesh",
    ),
    (
        "sandwich",
        "two (or more) slices of bread with a filling between them",
    ),
    (
        "orange",
        "round yellow to orange fruit of any of several citrus trees",
    ),
    ("broccoli", "branched green undeveloped flower heads"),
    ("carrot", "orange root; important source of carotene"),
    ("hot dog", "a frankfurter served hot on a bun"),
    (
        "pizza",
        "Italian open pie made of thin bread dough spread with a spiced mixture of e.g. tomato sauce and cheese",
    ),
    ("donut", "a small ring-shaped friedcake"),
    (
        "cake",
        "baked goods made from or based on a mixture of flour, sugar, eggs, and fat",
    ),
    (
        "chair",
        "a seat for one person, with a support for the back",
    ),
    ("couch", "an upholstered seat for more than one person"),
    (
        "potted plant",
        "a plant grown in a pot indoors for decoration",
    ),
    ("bed", "a piece of furniture that provides a place to sleep"),
    ("dining table", "a table at which meals are served"),
    (
        "toilet",
        "a bowl with a seat for defecation and urination, flushed with water",
    ),
    (
        "tv",
        "an electronic device that receives television signals and displays them on a screen",
    ),
    (
        "laptop",
        "a portable computer small enough to use in your lap",
    ),
    (
        "mouse",
        "a hand-operated electronic device that controls the coordinates of a cursor on your computer screen",
    ),
    (
        "remote",
        "a device that can be used to control a machine or apparatus from a distance",
    ),
    (
        "keyboard",
        "device consisting of a set of keys on a computer that you press to type",
    ),
    ("cell phone", "a hand-held mobile radiotelephone"),
    (
        "microwave",
        "kitchen appliance that cooks food by passing an electromagnetic wave through it",
    ),
    ("oven", "kitchen appliance used for baking or roasting"),
    (
        "toaster",
        "a kitchen appliance (usually electric) for toasting bread",
    ),
    (
        "sink",
        "a basin with a water supply and a drain, in a kitchen or bathroom",
    ),
    (
        "refrigerator",
        "white goods in which food can be stored at low temperatures",
    ),
    (
        "book",
        "a written work or composition that has been published, printed on pages bound together",
    ),
    ("clock", "a timepiece that shows the time of day"),
    (
        "vase",
        "an open jar of glass or porcelain used as an ornament or to hold flowers",
    ),
    (
        "scissors",
        "an edge tool having two crossed pivoting blades",
    ),
    (
        "teddy bear",
        "plaything consisting of a child's toy bear (usually plush and stuffed with soft materials)",
    ),
    (
        "hair drier",
        "a hand-held electric blower that can blow warm air onto the hair",
    ),
    (
        "toothbrush",
        "small brush; has long handle; used to clean teeth",
    ),
];

/// The categories as concepts for task matching ([`crate::ConceptSpace`]):
/// named by their label, described by the label, its synonyms and its
/// definition.
pub fn concepts() -> Vec<Concept> {
    LABELS
        .iter()
        .filter(|l| !l.is_empty())
        .map(|&label| {
            let others = SYNONYMS
                .iter()
                .find(|(l, _)| *l == label)
                .map_or(&[][..], |(_, o)| o);
            Concept {
                name: label.to_owned(),
                lemmas: std::iter::once(label)
                    .chain(others.iter().copied())
                    .collect::<Vec<_>>()
                    .join(", "),
                definition: DEFINITIONS
                    .iter()
                    .find(|(l, _)| *l == label)
                    .map_or_else(String::new, |(_, d)| (*d).to_owned()),
            }
        })
        .collect()
}

/// Other words for a category, beside its name: what people write in a
/// task ("a photo of your puppy").
pub const SYNONYMS: [(&str, &[&str]); 24] = [
    (
        "person",
        &[
            "people", "man", "woman", "child", "kid", "human", "yourself", "face", "selfie",
        ],
    ),
    ("bicycle", &["bike", "cycle"]),
    ("car", &["automobile", "vehicle"]),
    ("motorcycle", &["motorbike", "scooter"]),
    ("airplane", &["plane", "aeroplane", "aircraft"]),
    ("boat", &["ship"]),
    ("bird", &["birds"]),
    ("cat", &["kitten", "kitty"]),
    ("dog", &["puppy", "pup"]),
    ("cow", &["cattle"]),
    ("couch", &["sofa"]),
    ("tv", &["television", "screen"]),
    ("cell phone", &["phone", "smartphone", "mobile phone"]),
    ("laptop", &["notebook computer", "computer"]),
    ("dining table", &["table"]),
    ("potted plant", &["plant", "houseplant"]),
    ("cup", &["mug"]),
    ("donut", &["doughnut"]),
    ("sports ball", &["ball", "football", "soccer ball"]),
    ("refrigerator", &["fridge"]),
    ("hair drier", &["hair dryer"]),
    ("handbag", &["purse", "bag"]),
    ("suitcase", &["luggage"]),
    ("teddy bear", &["teddy", "stuffed animal"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_one_definition() {
        let labels: Vec<&str> = LABELS.iter().copied().filter(|l| !l.is_empty()).collect();
        let defined: Vec<&str> = DEFINITIONS.iter().map(|(l, _)| *l).collect();
        assert_eq!(defined, labels);
        assert!(concepts().iter().all(|c| !c.definition.is_empty()));
    }
}
