"""The word tables of the generated sample (sample_data/sentences.py writes the sentences).

Every theme word belongs to one theme only, and no template, pool or place word is a theme word
(``tests/core/test_sample.py`` checks both), so a word's contexts come from its own theme.
A table's first entries are drawn most often (``sentences.pick``).
"""

from __future__ import annotations

# fmt: off

# (male, female, words of this pair only): gender shows in he/she, his/her, himself/herself;
# the pair's own words keep e.g. king and queen closer than king and prince
ROYALTY = [
    ("king", "queen", ["throne", "crown", "reign"]),
    ("prince", "princess", ["heir", "tutor", "youth"]),
    ("emperor", "empress", ["empire", "legions", "conquest"]),
    ("duke", "duchess", ["duchy", "estate", "hunting"]),
    ("lord", "lady", ["manor", "banquet", "falcons"]),
    ("baron", "baroness", ["barony", "fortress", "tolls"]),
]
FAMILY = [
    ("man", "woman", ["stranger", "crowd", "neighbourhood"]),
    ("boy", "girl", ["school", "games", "toys"]),
    ("father", "mother", ["children", "parenting", "advice"]),
    ("son", "daughter", ["parents", "inheritance", "birthday"]),
    ("brother", "sister", ["sibling", "twin", "rivalry"]),
    ("husband", "wife", ["marriage", "anniversary", "honeymoon"]),
    ("uncle", "aunt", ["cousins", "visits", "stories"]),
    ("nephew", "niece", ["gifts", "holidays", "postcards"]),
    ("grandfather", "grandmother", ["grandchildren", "memories", "pension"]),
    ("grandson", "granddaughter", ["grandparents", "summers", "photographs"]),
    ("dad", "mum", ["homework", "chores", "bedtime"]),
    ("groom", "bride", ["wedding", "veil", "rings"]),
    ("boyfriend", "girlfriend", ["date", "romance", "breakup"]),
    ("stepfather", "stepmother", ["stepchildren", "custody", "remarriage"]),
]
JOB_PAIRS = [
    ("actor", "actress", ["film", "stage", "role"]),
    ("waiter", "waitress", ["restaurant", "tables", "tips"]),
    ("steward", "stewardess", ["flight", "cabin", "passengers"]),
    ("host", "hostess", ["party", "guests", "show"]),
    ("policeman", "policewoman", ["crime", "patrol", "arrest"]),
    ("salesman", "saleswoman", ["customers", "sales", "products"]),
    ("businessman", "businesswoman", ["company", "deals", "profits"]),
    ("chairman", "chairwoman", ["board", "meeting", "votes"]),
    ("headmaster", "headmistress", ["pupils", "assembly", "rules"]),
    ("monk", "nun", ["prayer", "abbey", "silence"]),
    ("barman", "barmaid", ["pub", "pints", "bar"]),
    ("landlord", "landlady", ["rent", "flat", "lease"]),
    ("spokesman", "spokeswoman", ["statement", "press", "announcement"]),
    ("masseur", "masseuse", ["massage", "spa", "oils"]),
    ("priest", "priestess", ["temple", "ritual", "altar"]),
]
# jobs for anyone, each with two words of its own
JOBS = [
    ("doctor", "patients", "clinic"), ("nurse", "ward", "bandages"),
    ("teacher", "lessons", "classroom"), ("lawyer", "clients", "lawsuit"),
    ("engineer", "bridges", "machines"), ("farmer", "fields", "tractor"),
    ("baker", "oven", "dough"), ("pilot", "cockpit", "runway"),
    ("driver", "route", "licence"), ("chef", "menu", "recipes"),
    ("dentist", "teeth", "fillings"), ("plumber", "pipes", "leaks"),
    ("carpenter", "wood", "furniture"), ("writer", "novel", "chapters"),
    ("singer", "songs", "concert"), ("dancer", "ballet", "rehearsal"),
    ("soldier", "army", "barracks"), ("sailor", "ship", "harbour"),
    ("scientist", "laboratory", "experiments"), ("banker", "loans", "investments"),
    ("cashier", "till", "receipts"), ("mechanic", "engines", "garage"),
    ("electrician", "wiring", "sockets"), ("architect", "buildings", "plans"),
    ("journalist", "newspaper", "articles"), ("librarian", "library", "books"),
    ("pharmacist", "pharmacy", "prescriptions"), ("surgeon", "operations", "theatre"),
    ("judge", "trial", "verdict"), ("tailor", "suits", "fabric"),
    ("butcher", "meat", "knives"), ("gardener", "hedges", "lawn"),
    ("builder", "bricks", "scaffolding"), ("programmer", "software", "code"),
    ("accountant", "accounts", "invoices"), ("photographer", "camera", "photos"),
    ("musician", "band", "album"), ("translator", "languages", "documents"),
    ("professor", "university", "lectures"), ("secretary", "letters", "appointments"),
    ("detective", "clues", "mystery"), ("firefighter", "fires", "hoses"),
    ("astronaut", "space", "rockets"), ("courier", "parcels", "deliveries"),
]
# (country, capital, nationality): the nationality word is each country's own context
COUNTRIES = [
    ("france", "paris", "french"), ("germany", "berlin", "german"),
    ("italy", "rome", "italian"), ("spain", "madrid", "spanish"),
    ("japan", "tokyo", "japanese"), ("china", "beijing", "chinese"),
    ("russia", "moscow", "russian"), ("egypt", "cairo", "egyptian"),
    ("greece", "athens", "greek"), ("england", "london", "english"),
    ("portugal", "lisbon", "portuguese"), ("poland", "warsaw", "polish"),
    ("sweden", "stockholm", "swedish"), ("austria", "vienna", "austrian"),
    ("turkey", "ankara", "turkish"), ("norway", "oslo", "norwegian"),
    ("ireland", "dublin", "irish"), ("hungary", "budapest", "hungarian"),
    ("finland", "helsinki", "finnish"), ("denmark", "copenhagen", "danish"),
    ("belgium", "brussels", "belgian"), ("netherlands", "amsterdam", "dutch"),
    ("switzerland", "bern", "swiss"), ("czechia", "prague", "czech"),
    ("romania", "bucharest", "romanian"), ("ukraine", "kyiv", "ukrainian"),
    ("canada", "ottawa", "canadian"), ("america", "washington", "american"),
    ("brazil", "brasilia", "brazilian"), ("peru", "lima", "peruvian"),
    ("chile", "santiago", "chilean"), ("colombia", "bogota", "colombian"),
    ("cuba", "havana", "cuban"), ("india", "delhi", "indian"),
    ("thailand", "bangkok", "thai"), ("vietnam", "hanoi", "vietnamese"),
    ("indonesia", "jakarta", "indonesian"), ("korea", "seoul", "korean"),
    ("iran", "tehran", "iranian"), ("kenya", "nairobi", "kenyan"),
    ("nigeria", "abuja", "nigerian"), ("morocco", "rabat", "moroccan"),
    ("australia", "canberra", "australian"), ("scotland", "edinburgh", "scottish"),
    ("wales", "cardiff", "welsh"), ("pakistan", "islamabad", "pakistani"),
    ("ghana", "accra", "ghanaian"),
]
# other cities, by country
CITIES = {
    "france": ["lyon", "marseille", "bordeaux", "toulouse"],
    "germany": ["munich", "hamburg", "cologne", "frankfurt"],
    "italy": ["milan", "naples", "florence", "venice", "turin"],
    "spain": ["barcelona", "seville", "valencia", "bilbao"],
    "japan": ["osaka", "kyoto"],
    "china": ["shanghai", "shenzhen"],
    "england": ["manchester", "liverpool", "birmingham", "leeds", "bristol", "oxford"],
    "america": ["chicago", "boston", "seattle", "houston"],
    "canada": ["toronto", "montreal", "vancouver"],
    "australia": ["sydney", "melbourne", "perth"],
    "india": ["mumbai", "bangalore"],
    "turkey": ["istanbul"],
    "egypt": ["alexandria"],
    "netherlands": ["rotterdam"],
    "switzerland": ["zurich", "geneva"],
    "poland": ["krakow"],
    "scotland": ["glasgow"],
    "brazil": ["recife"],
}
# animals by kind, and each kind's own words
ANIMALS = {
    "pets": (["cat", "dog", "mouse", "rabbit", "hamster", "goldfish", "parrot"], ["sofa", "basket", "kennel"]),
    "farm": (
        ["horse", "cow", "sheep", "goat", "pig", "chicken", "donkey", "duck", "goose", "ox"],
        ["barn", "meadow", "stable"],
    ),
    "wild": (
        ["lion", "tiger", "bear", "wolf", "fox", "deer", "elephant", "giraffe", "zebra", "monkey", "kangaroo",
         "panda", "koala", "squirrel", "hedgehog", "leopard", "cheetah", "rhino", "camel", "moose", "buffalo",
         "badger", "otter", "beaver"],
        ["jungle", "savanna", "forest"],
    ),
    "birds": (
        ["owl", "eagle", "pigeon", "crow", "swan", "sparrow", "robin", "penguin", "ostrich", "hawk", "seagull"],
        ["nest", "treetops", "sky"],
    ),
    "sea": (
        ["shark", "whale", "dolphin", "octopus", "seal", "crab", "jellyfish", "starfish"],
        ["ocean", "reef", "lagoon"],
    ),
    "small": (
        ["bee", "ant", "butterfly", "spider", "beetle", "snail", "worm", "mosquito", "ladybird"],
        ["flowers", "leaves", "grass"],
    ),
    "reptiles": (["frog", "snake", "lizard", "turtle", "crocodile", "tortoise"], ["pond", "swamp", "rocks"]),
}
IRREGULAR_PLURALS = {
    "mouse": "mice", "goose": "geese", "sheep": "sheep", "deer": "deer", "wolf": "wolves", "ox": "oxen",
    "moose": "moose", "goldfish": "goldfish", "jellyfish": "jellyfish", "starfish": "starfish",
    "buffalo": "buffaloes", "mosquito": "mosquitoes",
}
# first names: gender without a person word
NAMES = (
    ["john", "david", "peter", "james", "thomas", "michael", "robert", "daniel", "paul", "mark", "george",
     "henry", "oliver", "jack", "harry", "samuel"],
    ["mary", "anna", "emma", "sarah", "lucy", "alice", "emily", "sophie", "grace", "laura", "rachel", "helen",
     "olivia", "kate", "julia", "claire"],
)
# foods by kind, and each kind's own words
FOODS = {
    "fruit": (
        ["apple", "banana", "orange", "lemon", "strawberry", "cherry", "peach", "pear", "plum", "melon",
         "mango", "pineapple", "coconut", "kiwi", "apricot", "grapefruit"],
        ["ripe", "juicy", "peeled"],
    ),
    "vegetables": (
        ["potato", "carrot", "tomato", "onion", "garlic", "lettuce", "cabbage", "cucumber", "mushroom",
         "spinach", "broccoli", "pumpkin", "celery", "beans", "peas", "corn"],
        ["chopped", "boiled", "roasted"],
    ),
    "sweets": (
        ["cake", "pie", "cookie", "biscuit", "muffin", "pancake", "waffle", "donut", "croissant",
         "chocolate", "honey", "jam", "pudding"],
        ["sugary", "iced", "baked"],
    ),
    "dairy": (["cheese", "butter", "milk", "yogurt", "cream", "egg"], ["chilled", "creamy", "fresh"]),
    "dishes": (
        ["bread", "soup", "salad", "pasta", "rice", "pizza", "sandwich", "burger", "noodles", "curry",
         "sushi", "omelette", "porridge", "stew", "steak", "sausage", "bacon", "ham"],
        ["served", "spicy", "hearty"],
    ),
    "drinks": (
        ["tea", "coffee", "juice", "lemonade", "wine", "beer", "cocoa", "smoothie"],
        ["poured", "brewed", "steaming"],
    ),
}
COLOURS = ["red", "blue", "green", "yellow", "black", "white", "purple", "brown", "pink", "grey", "violet",
           "silver", "golden", "turquoise", "beige", "crimson", "scarlet", "navy", "maroon", "indigo"]
CLOTHES = ["shirt", "dress", "hat", "coat", "scarf", "jacket", "skirt", "trousers", "shoes", "socks", "gloves",
           "boots", "sweater", "tie", "belt", "blouse", "pyjamas", "sandals", "jeans", "cap"]
VEHICLES = ["car", "bicycle", "train", "truck", "van", "boat", "motorbike", "tram", "taxi", "lorry", "scooter",
            "ferry", "helicopter", "plane", "bus", "yacht"]
INSTRUMENTS = ["piano", "guitar", "violin", "drums", "flute", "trumpet", "cello", "harp", "saxophone", "clarinet",
               "trombone", "accordion", "banjo", "organ", "tuba", "ukulele"]
# sports by kind, and each kind's own words
SPORTS = {
    "ball": (
        ["football", "tennis", "rugby", "hockey", "cricket", "baseball", "basketball", "volleyball", "golf",
         "badminton", "squash", "handball", "polo", "netball", "softball", "lacrosse"],
        ["ball", "pitch", "net"],
    ),
    "fighting": (["boxing", "wrestling", "judo", "karate", "fencing", "taekwondo"], ["ring", "opponent", "referee"]),
    "water": (["rowing", "surfing", "diving", "canoeing", "sailing", "swimming"], ["lake", "paddle", "wetsuit"]),
    "winter": (["skiing", "skating", "snowboarding", "curling", "sledging"], ["snow", "ice", "slopes"]),
    "other": (
        ["cycling", "archery", "athletics", "gymnastics", "darts", "snooker", "chess", "triathlon"],
        ["medal", "practice", "record"],
    ),
}
FEELINGS = {
    "pleasant": (
        ["happy", "excited", "proud", "cheerful", "grateful", "relaxed", "hopeful", "delighted", "glad",
         "content", "thrilled", "relieved", "amused", "joyful", "confident", "peaceful"],
        ["grin", "glow", "joy"],
    ),
    "unpleasant": (
        ["sad", "angry", "afraid", "scared", "nervous", "bored", "tired", "lonely", "jealous", "anxious",
         "confused", "ashamed", "embarrassed", "upset", "furious", "miserable", "guilty", "terrified",
         "frustrated", "disappointed", "worried", "gloomy"],
        ["tears", "frown", "sigh"],
    ),
}
# (base, past, -ing, third person, the verb's own complement; {the} and {thes} are any fitting determiner)
VERBS = [
    ("walk", "walked", "walking", "walks", "to {the} station"),
    ("talk", "talked", "talking", "talks", "on {the} phone"),
    ("go", "went", "going", "goes", "fishing"),
    ("run", "ran", "running", "runs", "around {the} track"),
    ("see", "saw", "seeing", "sees", "{the} fireworks"),
    ("eat", "ate", "eating", "eats", "{thes} leftovers"),
    ("sing", "sang", "singing", "sings", "in {the} choir"),
    ("write", "wrote", "writing", "writes", "{a} letter"),
    ("drink", "drank", "drinking", "drinks", "{a} glass of water"),
    ("drive", "drove", "driving", "drives", "along {the} motorway"),
    ("fly", "flew", "flying", "flies", "{a} kite"),
    ("give", "gave", "giving", "gives", "{a} present"),
    ("make", "made", "making", "makes", "{a} sandcastle"),
    ("buy", "bought", "buying", "buys", "{thes} groceries"),
    ("jump", "jumped", "jumping", "jumps", "over {the} puddle"),
    ("laugh", "laughed", "laughing", "laughs", "at {the} joke"),
    ("shout", "shouted", "shouting", "shouts", "across {the} yard"),
    ("kick", "kicked", "kicking", "kicks", "{the} pebble"),
    ("push", "pushed", "pushing", "pushes", "{the} trolley"),
    ("pull", "pulled", "pulling", "pulls", "{the} rope"),
    ("ask", "asked", "asking", "asks", "{a} question"),
    ("answer", "answered", "answering", "answers", "{the} email"),
    ("open", "opened", "opening", "opens", "{the} window"),
    ("close", "closed", "closing", "closes", "{thes} curtains"),
    ("listen", "listened", "listening", "listens", "to {the} radio"),
    ("wash", "washed", "washing", "washes", "{thes} dishes"),
    ("fix", "fixed", "fixing", "fixes", "{the} tap"),
    ("carry", "carried", "carrying", "carries", "{the} suitcase"),
    ("cry", "cried", "crying", "cries", "into {the} pillow"),
    ("study", "studied", "studying", "studies", "for {the} exam"),
    ("hurry", "hurried", "hurrying", "hurries", "to {the} platform"),
    ("knock", "knocked", "knocking", "knocks", "on {the} door"),
    ("whistle", "whistled", "whistling", "whistles", "{a} tune"),
    ("yawn", "yawned", "yawning", "yawns", "during {the} sermon"),
    ("sneeze", "sneezed", "sneezing", "sneezes", "because of {the} dust"),
    ("cough", "coughed", "coughing", "coughs", "in {the} smoke"),
    ("dream", "dreamed", "dreaming", "dreams", "about the future"),
    ("learn", "learned", "learning", "learns", "{the} alphabet"),
    ("explain", "explained", "explaining", "explains", "{the} problem"),
    ("jog", "jogged", "jogging", "jogs", "along {the} beach"),
    ("kiss", "kissed", "kissing", "kisses", "{the} baby"),
    ("pack", "packed", "packing", "packs", "{thes} bags"),
    ("print", "printed", "printing", "prints", "{thes} tickets"),
    ("repair", "repaired", "repairing", "repairs", "{the} roof"),
    ("rescue", "rescued", "rescuing", "rescues", "{the} kitten"),
    ("shave", "shaved", "shaving", "shaves", "in {the} bathroom"),
    ("type", "typed", "typing", "types", "{the} password"),
    ("wander", "wandered", "wandering", "wanders", "through {thes} woods"),
    ("wave", "waved", "waving", "waves", "goodbye"),
    ("whisper", "whispered", "whispering", "whispers", "{a} secret"),
    ("borrow", "borrowed", "borrowing", "borrows", "some money"),
    ("cross", "crossed", "crossing", "crosses", "{the} road"),
    ("fill", "filled", "filling", "fills", "{the} bucket"),
    ("follow", "followed", "following", "follows", "{the} map"),
    ("greet", "greeted", "greeting", "greets", "{thes} visitors"),
    ("guess", "guessed", "guessing", "guesses", "{the} riddle"),
    ("join", "joined", "joining", "joins", "{the} queue"),
    ("lift", "lifted", "lifting", "lifts", "{the} box"),
    ("mix", "mixed", "mixing", "mixes", "{the} paint"),
    ("pray", "prayed", "praying", "prays", "for rain"),
    ("rush", "rushed", "rushing", "rushes", "to {the} airport"),
    ("scream", "screamed", "screaming", "screams", "at {the} ghost"),
    ("search", "searched", "searching", "searches", "for {thes} keys"),
    ("sign", "signed", "signing", "signs", "{the} contract"),
    ("stare", "stared", "staring", "stares", "at {the} screen"),
    ("stir", "stirred", "stirring", "stirs", "{the} pot"),
    ("thank", "thanked", "thanking", "thanks", "{thes} volunteers"),
    ("touch", "touched", "touching", "touches", "{the} wall"),
    ("warn", "warned", "warning", "warns", "{thes} neighbours"),
    ("wipe", "wiped", "wiping", "wipes", "{the} counter"),
    ("climb", "climbed", "climbing", "climbs", "{the} ladder"),
    ("dance", "danced", "dancing", "dances", "at {the} disco"),
    ("ride", "rode", "riding", "rides", "{the} pony"),
    ("think", "thought", "thinking", "thinks", "about the puzzle"),
    ("bring", "brought", "bringing", "brings", "{the} umbrella"),
    ("teach", "taught", "teaching", "teaches", "{the} lesson"),
    ("catch", "caught", "catching", "catches", "{the} frisbee"),
    ("sit", "sat", "sitting", "sits", "on {the} bench"),
    ("stand", "stood", "standing", "stands", "in {the} corridor"),
    ("draw", "drew", "drawing", "draws", "{a} picture"),
    ("throw", "threw", "throwing", "throws", "{the} stick"),
    ("grow", "grew", "growing", "grows", "some tulips"),
    ("forget", "forgot", "forgetting", "forgets", "{the} combination"),
    ("sell", "sold", "selling", "sells", "{the} lawnmower"),
    ("tell", "told", "telling", "tells", "{a} story"),
    ("find", "found", "finding", "finds", "{the} wallet"),
    ("keep", "kept", "keeping", "keeps", "{a} diary"),
    ("break", "broke", "breaking", "breaks", "{the} vase"),
    ("begin", "began", "beginning", "begins", "{the} countdown"),
]
# (adjective, comparative, superlative, a noun it often describes)
ADJECTIVES = [
    ("big", "bigger", "biggest", "mansion"), ("small", "smaller", "smallest", "cottage"),
    ("good", "better", "best", "idea"), ("bad", "worse", "worst", "storm"),
    ("tall", "taller", "tallest", "tower"), ("short", "shorter", "shortest", "path"),
    ("long", "longer", "longest", "tunnel"), ("young", "younger", "youngest", "puppy"),
    ("old", "older", "oldest", "church"), ("fast", "faster", "fastest", "racer"),
    ("slow", "slower", "slowest", "traffic"), ("strong", "stronger", "strongest", "wrestler"),
    ("weak", "weaker", "weakest", "signal"), ("hot", "hotter", "hottest", "desert"),
    ("cold", "colder", "coldest", "winter"), ("warm", "warmer", "warmest", "blanket"),
    ("cool", "cooler", "coolest", "breeze"), ("dark", "darker", "darkest", "cave"),
    ("bright", "brighter", "brightest", "star"), ("heavy", "heavier", "heaviest", "anvil"),
    ("high", "higher", "highest", "mountain"), ("low", "lower", "lowest", "basement"),
    ("wide", "wider", "widest", "avenue"), ("narrow", "narrower", "narrowest", "alley"),
    ("deep", "deeper", "deepest", "canyon"), ("thick", "thicker", "thickest", "fog"),
    ("thin", "thinner", "thinnest", "paper"), ("rich", "richer", "richest", "tycoon"),
    ("poor", "poorer", "poorest", "beggar"), ("cheap", "cheaper", "cheapest", "hotel"),
    ("loud", "louder", "loudest", "siren"), ("quiet", "quieter", "quietest", "village"),
    ("soft", "softer", "softest", "cushion"), ("hard", "harder", "hardest", "nut"),
    ("easy", "easier", "easiest", "quiz"), ("safe", "safer", "safest", "bunker"),
    ("wise", "wiser", "wisest", "philosopher"), ("brave", "braver", "bravest", "knight"),
    ("kind", "kinder", "kindest", "helper"), ("smart", "smarter", "smartest", "student"),
    ("sharp", "sharper", "sharpest", "knife"), ("sweet", "sweeter", "sweetest", "candy"),
    ("large", "larger", "largest", "stadium"), ("tiny", "tinier", "tiniest", "speck"),
    ("pretty", "prettier", "prettiest", "garden"), ("ugly", "uglier", "ugliest", "statue"),
    ("funny", "funnier", "funniest", "clown"), ("lucky", "luckier", "luckiest", "gambler"),
    ("noisy", "noisier", "noisiest", "nightclub"), ("dirty", "dirtier", "dirtiest", "kitchen"),
]
# fmt: on

# little words that can stand in for one another; every {name} of a template not given as a
# slot is drawn from here, afresh each time
POOLS = {
    "the": ["the"] * 10 + ["this", "that", "our", "my", "their", "your", "each", "every", "one", "another"],
    "thes": ["the", "these", "those", "our", "my", "their", "your", "all", "both", "some"],
    "a": ["a", "one", "another", "some", "no"],
    "our": ["our", "my", "their", "your", "the"],
    "in": ["in", "at", "near", "by", "behind", "beside", "outside", "inside", "around", "beyond"],
    "and": ["and", "and", "and also", "as well as", "together with", "plus", "or", "but not"],
    "is": ["is", "was"],
    "soon": ["soon", "later", "again", "today", "one day", "at last"],
    "we": ["we", "i", "they", "you", "people", "friends", "visitors"],
    "num": ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty"],
}
GROUP_WORDS = {  # people's groups: (where they are, words that describe them)
    "royalty": (
        ["at court", "in {the} palace", "in {the} castle", "across {the} kingdom", "in {the} realm"],
        ["royal", "noble", "crowned"],
    ),
    "family": (
        ["at home", "in {the} house", "on {the} porch", "in {the} farmhouse", "in {the} nursery"],
        ["beloved", "dear", "caring"],
    ),
    "jobs": (
        ["at work", "in {the} office", "at {the} factory", "at headquarters", "in {the} studio"],
        ["hardworking", "experienced", "busy"],
    ),
}
GROUP_WORDS["jobs for anyone"] = GROUP_WORDS["jobs"]
MEALS = ["breakfast", "dinner", "supper"]
WHO = ["everyone", "nobody", "my friend", "our neighbour", "each child", "the audience", "somebody", "all of us"]

ANALOGIES = [  # a : b :: c : d, one or more per relation (tests/core/test_sample.py checks d is in the top 3)
    ("man", "king", "woman", "queen"),
    ("boy", "girl", "brother", "sister"),
    ("man", "actor", "woman", "actress"),
    ("france", "paris", "germany", "berlin"),
    ("japan", "tokyo", "italy", "rome"),
    ("spain", "madrid", "egypt", "cairo"),
    ("france", "french", "germany", "german"),
    ("walk", "walked", "go", "went"),
    ("walk", "walked", "run", "ran"),
    ("walk", "walked", "talk", "talked"),
    ("big", "bigger", "small", "smaller"),
    ("good", "better", "bad", "worse"),
    ("cat", "cats", "dog", "dogs"),
]
