import { AreaCode } from "@civic/domain-kit";
/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, Z, S, V):
 *
 *   1     registration authority (5 = civil affairs, 9 = market regulation, ...)
 *   2     organisation category within that authority (civil affairs: 1 social group,
 *         2 private non-enterprise unit, 3 foundation, 9 other)
 *   3-8   the registering authority's 6-digit administrative division code
 *   9-17  the organisation code (GB 11714): 8 characters and their own check character
 *   18    the check character over the first 17
 */
export const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** Weight of position i (0-based) in the final check: 3^i mod 31. */
const creditCodeWeights = Array.from({ length: 17 }, (_, index) => {
  let weight = 1;
  for (let step = 0; step < index; step++) weight = (weight * 3) % 31;
  return weight;
});

const organisationCodeWeights = [3, 7, 9, 10, 5, 8, 4, 2];

/** Registration authorities of GB 32100-2015 (1 staffing, 2 foreign affairs, 3 justice, 4 culture, 5 civil affairs, 6 tourism, 7 religious affairs, 8 trade unions, 9 market regulation, A military reform office, N agriculture, Y other). */
const registrationAuthorities = "123456789ANY";

/**
 * Organisation categories where this registry needs them exact: civil affairs (1 social
 * group, 2 private non-enterprise unit, 3 foundation, 9 other) and market regulation
 * (1 enterprise, 2 individual business, 3 farmers' cooperative). Other authorities' category
 * lists are not checked.
 */
const categoriesByAuthority: Record<string, string> = { "5": "1239", "9": "123" };

/** The check character of the first 17 characters (position 18). */
export function creditCodeCheckCharacter(first17: string): string {
  const sum = creditCodeWeights.reduce(
    (total, weight, index) => total + creditCodeAlphabet.indexOf(first17.charAt(index)) * weight,
    0,
  );
  return creditCodeAlphabet.charAt((31 - (sum % 31)) % 31);
}

/** The GB 11714 check character of an 8-character organisation code body. */
export function organisationCodeCheckCharacter(body: string): string {
  const sum = organisationCodeWeights.reduce((total, weight, index) => {
    const character = body.charAt(index);
    // Digits count as themselves, letters A-Z as 10-35.
    const value = /\d/.test(character) ? Number(character) : character.charCodeAt(0) - 55;
    return total + value * weight;
  }, 0);
  const check = 11 - (sum % 11);
  return check === 10 ? "X" : check === 11 ? "0" : String(check);
}

export interface CreditCodeParts {
  registrationAuthority: string;
  organisationCategory: string;
  divisionCode: string;
  organisationCode: string;
}

/**
 * Why a code is not a valid unified social credit code, or undefined when it is. Codes are
 * compared as given: callers upper-case them first if they accept lower case.
 */
export function creditCodeProblem(code: string): string | undefined {
  if (code.length !== 18) return "must be 18 characters";
  const stray = [...code].find((character) => !creditCodeAlphabet.includes(character));
  if (stray !== undefined) {
    return `contains '${stray}': only digits and capital letters other than I, O, Z, S, V`;
  }
  const { registrationAuthority, organisationCategory, divisionCode, organisationCode } =
    creditCodeParts(code);
  if (!registrationAuthorities.includes(registrationAuthority)) {
    return `starts with an unknown registration authority '${registrationAuthority}'`;
  }
  const categories = categoriesByAuthority[registrationAuthority];
  if (categories !== undefined && !categories.includes(organisationCategory)) {
    return `organisation category '${organisationCategory}' does not exist for registration authority '${registrationAuthority}'`;
  }
  if (!AreaCode.is(divisionCode, "district")) return "characters 3 to 8 must be a 6-digit division code";
  const organisationCheck = organisationCodeCheckCharacter(organisationCode.slice(0, 8));
  if (organisationCode.charAt(8) !== organisationCheck) {
    return `the organisation code (characters 9 to 17) has the wrong check character: expected '${organisationCheck}'`;
  }
  const check = creditCodeCheckCharacter(code.slice(0, 17));
  if (code.charAt(17) !== check) return `has the wrong check character: expected '${check}'`;
  return undefined;
}

export function creditCodeParts(code: string): CreditCodeParts {
  return {
    registrationAuthority: code.charAt(0),
    organisationCategory: code.charAt(1),
    divisionCode: code.slice(2, 8),
    organisationCode: code.slice(8, 17),
  };
}

/** Completes a 17-character prefix with its check character (for test data and tools). */
export function withCreditCodeCheck(first17: string): string {
  return first17 + creditCodeCheckCharacter(first17);
}
