"""The demo shop's made-up words: customer names, countries, channels, and the feedback it writes (praise,
complaints about delivery, other complaints, neutral notes; `{item}` is the product)."""

# fmt: off
FIRST = [
    "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jack", "Kara", "Liam", "Mia",
    "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xena", "Yusuf", "Zoe"
]
LAST = [
    "Smith", "Jones", "Brown", "Garcia", "Müller", "Rossi", "Dubois", "Kowalski", "Nguyen", "Okafor", "Silva",
    "Jensen", "Novak", "Kim", "Patel", "Hughes", "Murphy", "Costa", "Weber", "Larsen"
]
# fmt: on
COUNTRIES = ["United Kingdom", "Germany", "France", "Netherlands", "Ireland", "Spain"]
CHANNELS = ["Search", "Instagram", "Friend referral", "Newsletter", "Marketplace"]

PRAISE = [
    "The {item} tastes amazing, I love it.",
    "Great quality and lovely packaging.",
    "Excellent {item}, fresh and full of flavour.",
    "Friendly customer service, they answered within an hour.",
    "Best {item} I have tried, highly recommend.",
    "Really good value for the price.",
    "My new favourite shop, wonderful selection.",
    "The {item} is perfect, thank you!",
]
COMPLAINTS = [
    "The delivery was late again and the box arrived damaged.",
    "Delivery took two weeks, very disappointing.",
    "The courier lost my parcel and delivery support was useless.",
    "Terrible delivery experience, the package was crushed.",
    "Delivery was delayed three times, I am frustrated.",
    "The {item} arrived broken because of careless delivery.",
]
OTHER_NEG = [
    "The {item} was stale and bitter, not good.",
    "Too expensive for what you get.",
    "The website checkout is confusing and slow.",
]
NEUTRAL = [
    "Ordered the {item} for my office.",
    "It is a {item}, does the job.",
    "Second order this year.",
    "Bought it as a gift for my sister.",
]
