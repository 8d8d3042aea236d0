interface Answer {
  status: number;
  body: { reason?: unknown };
}

/**
 * Sorts the answers to requests that raced for one change: `won` succeeded; `lost` were told
 * they lost the race (409 VERSION_CONFLICT: they arrived before the winner's change) or, when
 * they arrived after it, refused for the reason the state they met gives (400 with one of
 * `refusals`); `other` holds anything else, which a race should never produce.
 */
export function raceOutcome(answers: Answer[], refusals: string | string[]) {
  const refusedFor = new Set(typeof refusals === "string" ? [refusals] : refusals);
  const lostRace = (answer: Answer) =>
    (answer.status === 409 && answer.body.reason === "VERSION_CONFLICT") ||
    (answer.status === 400 && refusedFor.has(String(answer.body.reason)));
  return {
    won: answers.filter((answer) => answer.status >= 200 && answer.status < 300).length,
    lost: answers.filter(lostRace).length,
    other: answers.filter((answer) => !(answer.status < 300 || lostRace(answer))),
  };
}
