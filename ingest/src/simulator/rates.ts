// How the simulated city behaves, as named probabilities. Every random decision of the
// simulator reads one of these; the unit tests measure the generated rates on a mid-size city
// and check that they stay near these values. Change a number here and the wall changes with it.

export const RATES = {
  // --- the city and its term (set-up) ---
  /** Students who choose no after-school offering at all. */
  studentNotEnrolled: 0.08,
  /** Enrollments withdrawn later in the term (the student stays enrolled elsewhere, if at all). */
  withdrawal: 0.04,
  /** Courses (other than homework help) run by an external provider (校外) rather than the school (校本). */
  externalCourse: 0.5,
  /** Schools that contract an operator (运营方) to run their after-school service. */
  schoolOperator: 0.85,
  /** School teachers without a teacher's certificate. */
  schoolTeacherUncertified: 0.03,
  /** Provider teachers without any certificate (a supervision concern). */
  externalTeacherUncertified: 0.08,
  /** Providers found qualified, by channel: tendered and recommended ones nearly always are. */
  providerQualified: { bid: 0.97, recommended: 0.95, self: 0.75 },
  /** Each of a school's four public materials is missing with this probability. */
  materialMissing: 0.08,
  /** Schools that submit no budget for the term (their settlements are over a budget of 0: an audit alert). */
  budgetMissing: 0.03,

  // --- a school day (the after-school window) ---
  /** Sessions of the day cancelled in the morning. */
  sessionCancelled: 0.02,
  /** Sessions whose teacher never checks in; such a class never starts. */
  teacherAbsent: 0.02,
  /** Of the sessions whose teacher comes: checks in more than TIMING.teacherLateMinutes late. */
  teacherLate: 0.05,
  /** Of the sessions whose teacher comes: class_started is never sent (the class "never started"). */
  classNotStarted: 0.01,
  /** Of the started sessions: class_ended is never sent. */
  classNotEnded: 0.02,
  /**
   * Schools whose classes are left open one afternoon (the class tablets are down, or the staff
   * let classes go without closing them): of their started sessions, class_ended is never sent
   * at the next rate, so the school's completion collapses (the low_completion alert).
   */
  schoolClassesNotEnded: 0.01,
  classNotEndedAtSuchSchool: 0.8,
  /** Enrolled students who do not come (on an ordinary school's day). */
  studentAbsent: 0.06,
  /**
   * Schools having a bad day (an outing, a flu wave): school-wide low attendance, every session
   * of the school that day losing students at the next rate instead of studentAbsent (about 70%
   * attendance against 94%; the low_attendance alert).
   */
  schoolBadDay: 0.02,
  studentAbsentOnBadDay: 0.3,
  /**
   * Students who came and never check out (a critical safety alert). One in a thousand: at 1%
   * a quarter of the city's classes (about 2,900 a day) raised the critical 学生未签退, and the
   * wall read "2,000 emergencies" every evening — a number no bureau would see, or believe.
   */
  studentNoCheckout: 0.001,
  /**
   * 教师备课 (v1.1): teachers who often leave their lessons unprepared, and how often they and
   * the others send no lesson_prepared for a session (about 8% of sessions in all, most of them
   * from the careless few).
   */
  teacherCareless: 0.1,
  unpreparedByCarelessTeacher: 0.5,
  unprepared: 0.03,
  /** Of the sessions prepared at all: the preparation is sent after the class began (not prepared). */
  preparedLate: 0.03,
  /** Completed sessions whose teacher files a class report (学情汇报). */
  classReport: 0.85,
  /** Held sessions of an ordinary course that get one feedback (评议) that evening. */
  feedbackPerSession: 0.3,
  /** Ordinary feedback scoring low (≤ 2 of 5). */
  feedbackLow: 0.07,
  /** Courses that parents dislike: every session gets several feedbacks, all scoring 1–2. */
  lowFeedbackCourse: 0.02,
  /** Offerings whose monthly settlement is sent on a given school day. */
  settledPerDay: 0.05,
  /**
   * Offerings whose settlement exceeds the budget of their course (an audit alert): each of
   * their settlements alone is 105–130% of the course's whole budget. Schools without a
   * budget (budgetMissing) have nothing to exceed.
   */
  overBudget: 0.05,
} as const;

/** Of enrolled students: how many offerings they choose (1–3), as weights. */
export const OFFERINGS_PER_STUDENT: readonly (readonly [number, number])[] = [
  [1, 0.38],
  [2, 0.4],
  [3, 0.22],
];

/** When things happen, in minutes unless named otherwise. */
export const TIMING = {
  /** The streamer's default: a teacher not checked in this long after planned_start is late. */
  teacherLateMinutes: 5,
  /** Sessions start at 15:30 … 16:30 in steps of 10 minutes. */
  firstStartMinute: 15 * 60 + 30,
  lastStartMinute: 16 * 60 + 30,
  durations: [45, 60, 75, 90] as const,
  /** The timetable system publishes the day's sessions around 07:00. */
  scheduleMinute: 7 * 60,
  /** The settlement system sends its batch between 17:00 and 18:00. */
  settlementMinute: 17 * 60,
  /** Teachers send their lesson preparations from 08:00 until 10 minutes before the class. */
  prepareFromMinute: 8 * 60,
  /** A late preparation is sent 5 to 45 minutes after planned_start. */
  preparedLateMinutes: [5, 45] as const,
  /** Feedback arrives at most this long after a class ends. */
  feedbackMaxDelay: 50,
  /** Bad courses get this many feedbacks per held session (the streamer's run is 3). */
  lowFeedbackPerSession: 3,
  /** Months of a term over which an offering's fees are settled. */
  termMonths: 5,
} as const;

/**
 * The played window (Asia/Shanghai minutes): teachers arrive from 15:15, the last class ends
 * by 18:05, reports and feedback trail until about 18:30. Schedule events of the morning are
 * due before it starts and are sent first.
 */
export const WINDOW = { startMinute: 15 * 60 + 15, endMinute: 18 * 60 + 30 } as const;
