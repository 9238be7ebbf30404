-- Golden records: the one trusted person, legal entity, house and city component the city knows.
-- Every row carries its grid and district code so counts roll up the hierarchy and PostgreSQL can
-- partition by district.
CREATE TABLE golden_person (
    id_number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    ethnicity TEXT,
    hukou TEXT NOT NULL,
    registered_area_code TEXT,
    phone TEXT,
    household_id TEXT,
    relation_to_head TEXT,
    house_code TEXT,
    employer_credit_code TEXT,
    education TEXT,
    grid_code TEXT NOT NULL,
    district_code TEXT NOT NULL
);
CREATE INDEX golden_person_grid ON golden_person (grid_code);
CREATE INDEX golden_person_house ON golden_person (house_code);

CREATE TABLE golden_legal_entity (
    credit_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT,
    legal_representative_id_number TEXT,
    industry TEXT,
    registered_date TEXT,
    house_code TEXT,
    status TEXT,
    grid_code TEXT NOT NULL,
    district_code TEXT NOT NULL
);
CREATE INDEX golden_legal_entity_grid ON golden_legal_entity (grid_code);

CREATE TABLE building (
    building_code TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    kind TEXT,
    floors INTEGER,
    longitude REAL NOT NULL,
    latitude REAL NOT NULL,
    grid_code TEXT NOT NULL,
    district_code TEXT NOT NULL
);
CREATE INDEX building_grid ON building (grid_code);

CREATE TABLE golden_house (
    house_code TEXT PRIMARY KEY,
    building_code TEXT NOT NULL,
    address TEXT NOT NULL,
    house_use TEXT NOT NULL,
    area_m2 REAL,
    owner_id_number TEXT,
    owner_credit_code TEXT,
    grid_code TEXT NOT NULL,
    district_code TEXT NOT NULL
);
CREATE INDEX golden_house_grid ON golden_house (grid_code);
CREATE INDEX golden_house_building ON golden_house (building_code);

CREATE TABLE city_component (
    component_code TEXT PRIMARY KEY,
    component_class TEXT NOT NULL,
    component_subclass TEXT NOT NULL,
    owning_department TEXT,
    status TEXT,
    longitude REAL NOT NULL,
    latitude REAL NOT NULL,
    grid_code TEXT NOT NULL,
    district_code TEXT NOT NULL
);
CREATE INDEX city_component_grid ON city_component (grid_code);

-- Counts per grid, refreshed after every load; every higher level is a sum over code prefixes.
CREATE TABLE grid_tally (
    grid_code TEXT PRIMARY KEY,
    persons INTEGER NOT NULL,
    legal_entities INTEGER NOT NULL,
    houses INTEGER NOT NULL
);
