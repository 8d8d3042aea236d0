/** 13812345678 → 138****5678; shorter numbers keep only their last 2 digits. */
export function maskPhone(phone: string): string {
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return phone.length <= 2 ? "*".repeat(phone.length) : `${"*".repeat(phone.length - 2)}${phone.slice(-2)}`;
}

/** Mainland mobile numbers (1 and 10 more digits) and fixed lines with an area code. */
export function isPhoneNumber(phone: string): boolean {
  return /^1\d{10}$/.test(phone) || /^0\d{2,3}-?\d{7,8}$/.test(phone);
}
