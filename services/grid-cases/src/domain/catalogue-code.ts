/**
 * A code of the platform's catalogues (case categories, departments, duty items and task
 * kinds): a lowercase letter, then lowercase letters, digits and -, 2 to 64 in all, such as
 * manhole-cover-missing or water-affairs.
 */
export const isCatalogueCode = (value: string): boolean => /^[a-z][a-z0-9-]{1,63}$/.test(value);
