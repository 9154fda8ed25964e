// Package equality computes the equality measures of employee-relations
// casework and the board's oversight figures: WRES indicator 3 (the relative
// likelihood of ethnic minority staff entering a formal disciplinary
// investigation compared with white staff) and WDES metric 3 (the relative
// likelihood of disabled staff entering the formal capability process
// compared with non-disabled staff), from the cases and the people
// directory, with small numbers suppressed and a data-quality note beside
// every ratio. It reads; it never changes a case.
//
// How the measures are worked out:
//
//   - Entering the process is a case of the measure's type (disciplinary for
//     WRES; capability on the grounds of performance for WDES, so ill-health
//     capability is left out) that became formal (cases.formal_on) within
//     the period, both days included. Each person counts once however many
//     such cases they had. People count whether or not they still work here
//     on the end date: the numerator covers the whole period, the
//     denominator is a snapshot, as in the national returns.
//   - The headcount of a group is the people employed on the period's end
//     date (started on or before it; no leave date, or one on or after it),
//     as org.Directory.Headcount counts them.
//   - Groups come from the person's current record: white (ethnic codes A to
//     C) against ethnic minority (D to S); non-disabled ("no") against
//     disabled ("yes"). Unknown values, including Z and "prefer not to say",
//     are left out of the rates and the ratio and reported as data quality.
//   - rate = entered / headcount; ratio = rate(ethnic minority or disabled) /
//     rate(white or non-disabled). Above 1 means the first group is more
//     likely to enter.
//   - The two-year rolling option covers the 24 months ending on the end
//     date. People entering over both years are counted, halved to give a
//     yearly figure, and set against the mean of the headcounts on the end
//     date and on the same date a year earlier: rate = (entered / 2) / mean
//     headcount. The ratio is then the same as comparing two-year totals
//     against the mean headcount, and it matches the yearly rate's scale.
//
// Suppression: any count above zero but below the organisation's
// small-number threshold (settings.SmallNumberThreshold) is withheld, and so
// is anything from which it could be worked out: its rate, the ratio, a
// share of a total it is part of, and in a breakdown with a total shown,
// the next smallest count when only one would otherwise be hidden. Every
// result lists what was withheld and why. Only the HR submission export
// (Service.Submission) is unsuppressed, because the national WRES and WDES
// returns need the real counts.
package equality
