import type { CompetencyDomain, TagPolarity } from '../../../../common/themes.ts';

/**
 * A held-out labelled set for the theme tagger: sentences in the style of clerkship and course
 * evaluations, written for the tests after the default lexicon was finished and never copied into
 * it. Labels follow the codebook in README.md (which domain each kind of remark belongs to), not
 * what the lexicon happens to match; several sentences are hard on purpose (negations, words used
 * in another sense, remarks with no domain at all).
 *
 * `themes` lists the themes a careful reader would name; `polarity` is left out where a reader
 * could not tell strength from concern.
 */
export interface LabelledSentence {
  text: string;
  domains: CompetencyDomain[];
  themes: string[];
  polarity?: TagPolarity;
}

const PC = 'patient_care';
const MK = 'medical_knowledge';
const ICS = 'interpersonal_communication';
const PROF = 'professionalism';
const PBLI = 'practice_based_learning';
const SBP = 'systems_based_practice';
const PCD = 'personal_career';

function s(text: string, domains: CompetencyDomain[], themes: string[], polarity?: TagPolarity): LabelledSentence {
  return polarity ? { text, domains, themes, polarity } : { text, domains, themes };
}

export const LABELLED_SENTENCES: LabelledSentence[] = [
  // Patient care
  s('Her differential diagnoses were broad and well prioritized.', [PC], ['clinical-reasoning'], 'strength'),
  s(
    'He has difficulty committing to an assessment and plan without prompting.',
    [PC, PCD],
    ['clinical-reasoning', 'confidence'],
    'concern',
  ),
  s(
    'Physical exam skills are solid, though she occasionally misses key findings on the cardiac exam.',
    [PC],
    ['history-and-physical'],
    'mixed',
  ),
  s(
    'He gathered thorough histories, including sensitive social histories, from every patient he saw.',
    [PC],
    ['history-and-physical'],
    'strength',
  ),
  s(
    'She took true ownership of her patients and always knew the overnight events before rounds.',
    [PC],
    ['patient-management'],
    'strength',
  ),
  s(
    'In the OR his suturing and knot tying improved steadily over the four weeks.',
    [PC],
    ['procedural-skills'],
    'strength',
  ),
  s('His reasoning tends to anchor on the first diagnosis he considers.', [PC], ['clinical-reasoning'], 'concern'),
  s(
    'She struggled to synthesize data from multiple sources into a coherent plan.',
    [PC],
    ['clinical-reasoning'],
    'concern',
  ),
  s(
    'He recognized a deteriorating patient early and escalated appropriately to the senior resident.',
    [PC],
    ['patient-management'],
    'strength',
  ),
  s('Her approach to the patient was systematic and well organized.', [PC], ['organisation'], 'strength'),
  s(
    'He was frequently unprepared for rounds and could not report basic data on his patients.',
    [PC],
    ['organisation', 'patient-management'],
    'concern',
  ),
  s('Interpretation of labs and imaging is not yet at the expected level.', [PC], ['clinical-reasoning'], 'concern'),

  // Medical knowledge
  s('Her fund of knowledge is exceptional for a third-year student.', [MK], ['fund-of-knowledge'], 'strength'),
  s(
    'He has significant gaps in basic pharmacology that affected his management plans.',
    [MK, PC],
    ['fund-of-knowledge', 'patient-management'],
    'concern',
  ),
  s(
    "He could explain the pathophysiology behind his patients' presentations in depth.",
    [MK],
    ['fund-of-knowledge'],
    'strength',
  ),
  s('Scored in the 90th percentile on the NBME shelf exam.', [MK], ['exam-performance']),
  s('He needs to strengthen his understanding of acid-base physiology.', [MK], ['fund-of-knowledge'], 'concern'),
  s('She applied her knowledge of anatomy well in the operating room.', [MK], ['knowledge-application'], 'strength'),
  s(
    'Answered questions on rounds accurately and with confidence.',
    [MK, PCD],
    ['fund-of-knowledge', 'confidence'],
    'strength',
  ),
  s('Knowledge base was below what we expect at this stage.', [MK], ['fund-of-knowledge'], 'concern'),
  s('He should dedicate more time to studying for the shelf.', [MK], ['exam-performance'], 'concern'),
  s('Demonstrates a strong grasp of the mechanisms of common medications.', [MK], ['fund-of-knowledge'], 'strength'),
  s(
    'He is knowledgeable but struggles to apply that knowledge at the bedside.',
    [MK],
    ['fund-of-knowledge', 'knowledge-application'],
    'mixed',
  ),
  s('His lack of preparation for the OSCE was evident.', [MK], ['exam-performance'], 'concern'),
  s('Her knowledge of the literature on heart failure was impressive.', [MK], ['fund-of-knowledge'], 'strength'),

  // Interpersonal and communication skills
  s(
    'Patients consistently commented on how well she listened to them.',
    [ICS],
    ['communication-with-patients'],
    'strength',
  ),
  s(
    'He explains diagnoses to patients in plain language and checks their understanding.',
    [ICS],
    ['communication-with-patients'],
  ),
  s(
    'Her oral presentations were concise, organized and easy to follow.',
    [ICS, PC],
    ['oral-presentations', 'organisation'],
    'strength',
  ),
  s('His presentations tend to be long and include irrelevant details.', [ICS], ['oral-presentations'], 'concern'),
  s(
    'She showed genuine compassion when delivering difficult news to a family.',
    [ICS],
    ['empathy', 'communication-with-patients'],
    'strength',
  ),
  s('Notes were thorough but often copied forward without being updated.', [ICS], ['documentation'], 'mixed'),
  s('He works well with nurses and the rest of the interprofessional team.', [ICS], ['teamwork'], 'strength'),
  s(
    'Occasionally came across as curt with nursing staff when busy.',
    [ICS, PROF],
    ['teamwork', 'professional-conduct'],
    'concern',
  ),
  s(
    'She did not demonstrate poor communication at any point; in fact, families sought her out.',
    [ICS],
    ['communication-with-patients'],
    'strength',
  ),
  s(
    'His progress notes were accurate and completed in a timely manner.',
    [ICS, PROF],
    ['documentation', 'time-management'],
    'strength',
  ),
  s(
    'She built rapport quickly, even with a guarded adolescent patient.',
    [ICS],
    ['communication-with-patients'],
    'strength',
  ),
  s(
    'He needs to involve families more in discussions about the plan.',
    [ICS],
    ['communication-with-patients'],
    'concern',
  ),
  s(
    'Without prompting, she called the family each afternoon to update them.',
    [ICS],
    ['communication-with-patients'],
    'strength',
  ),
  s('Her write-ups were a model for the other students.', [ICS], ['documentation'], 'strength'),
  s('He is a kind and gentle presence at the bedside.', [ICS], ['empathy'], 'strength'),
  s('Excellent team player who supported his co-students.', [ICS], ['teamwork'], 'strength'),
  s(
    'He tended to cut patients off before they finished their story.',
    [ICS],
    ['communication-with-patients'],
    'concern',
  ),

  // Professionalism
  s('He was never late and was always the first to arrive.', [PROF], ['reliability'], 'strength'),
  s('She arrived late to clinic on several occasions without explanation.', [PROF], ['reliability'], 'concern'),
  s(
    'Consistently demonstrated integrity and respect for patients and staff.',
    [PROF],
    ['professional-conduct'],
    'strength',
  ),
  s('He was dismissive toward a patient who asked for a second opinion.', [PROF], ['professional-conduct'], 'concern'),
  s('There were no professionalism concerns during the rotation.', [PROF], [], 'strength'),
  s(
    'She manages her time well and finishes her work before afternoon sign-out.',
    [PROF],
    ['time-management'],
    'strength',
  ),
  s(
    'He was slow to complete tasks and often stayed late to finish notes.',
    [PROF, ICS],
    ['time-management', 'documentation'],
    'concern',
  ),
  s('A hard-working student who volunteered for every admission.', [PROF], ['work-ethic'], 'strength'),
  s('At times she seemed disengaged during didactic sessions.', [PROF], ['work-ethic'], 'concern'),
  s('He missed two clinic sessions without notifying the team.', [PROF], ['reliability'], 'concern'),
  s('Her demeanor with patients and colleagues was always professional.', [PROF], ['professional-conduct'], 'strength'),
  s('No issues with attendance or punctuality.', [PROF], ['reliability'], 'strength'),
  s('Her enthusiasm for learning was infectious.', [PROF], ['work-ethic'], 'strength'),
  s('She stayed late to help the team and never complained.', [PROF, ICS], ['work-ethic', 'teamwork'], 'strength'),
  s(
    'Despite a heavy patient load, he remained efficient and calm.',
    [PROF, PC],
    ['time-management', 'patient-management'],
    'strength',
  ),
  s(
    'He has not yet learned to prioritize tasks on a busy ward.',
    [PROF, PC],
    ['time-management', 'organisation'],
    'concern',
  ),
  s(
    'She treated every patient with dignity regardless of their background.',
    [ICS, PROF],
    ['empathy', 'professional-conduct'],
    'strength',
  ),

  // Practice-based learning and improvement
  s(
    'She read about her patients every night and brought relevant articles to rounds.',
    [PBLI],
    ['self-directed-learning'],
    'strength',
  ),
  s('She actively sought feedback and implemented it the next day.', [PBLI], ['receptiveness-to-feedback'], 'strength'),
  s('He became defensive when given constructive criticism.', [PBLI], ['receptiveness-to-feedback'], 'concern'),
  s(
    'Was receptive to feedback on his presentations and improved noticeably.',
    [PBLI, ICS],
    ['receptiveness-to-feedback', 'oral-presentations'],
    'strength',
  ),
  s(
    'She reflects thoughtfully on her mistakes and what she would do differently.',
    [PBLI],
    ['self-reflection'],
    'strength',
  ),
  s('He knows his limits and asks for help appropriately.', [PBLI], ['self-reflection'], 'strength'),
  s(
    'She independently looked up the evidence for anticoagulation in her patient and shared it with the team.',
    [PBLI],
    ['self-directed-learning'],
    'strength',
  ),
  s('He has limited insight into his areas for growth.', [PBLI], ['self-reflection'], 'concern'),
  s(
    'Did not incorporate feedback from week to week, repeating the same errors in his notes.',
    [PBLI, ICS],
    ['receptiveness-to-feedback', 'documentation'],
    'concern',
  ),
  s('Her curiosity drove her to read beyond what was required.', [PBLI], ['self-directed-learning'], 'strength'),
  s("Self-assessment was accurate and matched the team's observations.", [PBLI], ['self-reflection'], 'strength'),
  s(
    'He was responsive to suggestions about his physical exam technique.',
    [PBLI, PC],
    ['receptiveness-to-feedback', 'history-and-physical'],
    'strength',
  ),
  s(
    'She is reliable, honest, and takes responsibility for her mistakes.',
    [PROF, PBLI],
    ['reliability', 'professional-conduct', 'self-reflection'],
    'strength',
  ),
  s('He would benefit from reading more around his cases.', [PBLI], ['self-directed-learning'], 'concern'),

  // Systems-based practice
  s(
    "She coordinated the discharge with social work, physical therapy and the patient's family.",
    [SBP],
    ['care-coordination'],
  ),
  s(
    'He was thoughtful about the cost of tests and avoided ordering unnecessary labs.',
    [SBP],
    ['cost-and-access'],
    'strength',
  ),
  s(
    'She identified a medication reconciliation error that would have caused harm.',
    [SBP],
    ['patient-safety'],
    'strength',
  ),
  s('His handoffs were incomplete and omitted pending results.', [SBP], ['care-coordination'], 'concern'),
  s(
    'Showed an understanding of the barriers uninsured patients face in getting their medications.',
    [SBP],
    ['cost-and-access'],
    'strength',
  ),
  s(
    'He needs to pay closer attention to allergies before writing orders.',
    [SBP, PC],
    ['patient-safety', 'patient-management'],
    'concern',
  ),
  s('She participated in a quality improvement project on sepsis screening.', [SBP], ['patient-safety']),
  s(
    'Communicated effectively with consultants to coordinate a complex procedure.',
    [SBP, ICS],
    ['care-coordination'],
    'strength',
  ),
  s("He arranged follow-up with the patient's primary care physician before discharge.", [SBP], ['care-coordination']),
  s("She was mindful of how the health system's resources were used.", [SBP], ['cost-and-access'], 'strength'),
  s(
    'She advocated for a homeless patient to receive appropriate follow-up housing resources.',
    [SBP, ICS],
    ['cost-and-access', 'empathy'],
    'strength',
  ),
  s(
    'His documentation never contained errors in medication dosing.',
    [ICS, SBP],
    ['documentation', 'patient-safety'],
    'strength',
  ),

  // Personal and career development
  s(
    'She should be more confident in presenting her own assessment.',
    [PCD, ICS],
    ['confidence', 'oral-presentations'],
    'concern',
  ),
  s('He is quiet on rounds and rarely volunteers answers.', [PCD], ['confidence'], 'concern'),
  s(
    'She mentioned feeling overwhelmed and exhausted during the last week of the rotation.',
    [PCD],
    ['wellbeing'],
    'concern',
  ),
  s(
    'He is interested in pursuing emergency medicine and asked thoughtful questions about residency.',
    [PCD],
    ['career-planning'],
  ),
  s('Her confidence grew visibly over the clerkship.', [PCD], ['confidence'], 'strength'),
  s('He appeared anxious when speaking with the attending.', [PCD], ['confidence'], 'concern'),
  s('She balanced a family illness with her clinical duties remarkably well.', [PCD], ['wellbeing'], 'strength'),
  s('Would benefit from discussing career options in surgery with a mentor.', [PCD], ['career-planning'], 'concern'),
  s(
    'He was hesitant to perform procedures even when supervised.',
    [PCD, PC],
    ['confidence', 'procedural-skills'],
    'concern',
  ),
  s(
    'Seemed tired and less engaged toward the end, which may reflect personal stress.',
    [PCD, PROF],
    ['wellbeing', 'work-ethic'],
    'concern',
  ),
  s(
    'He tends to overstate his certainty and rarely acknowledges what he does not know.',
    [PBLI, PCD],
    ['self-reflection', 'confidence'],
    'concern',
  ),
  s(
    'She was not hesitant to ask questions when uncertain.',
    [PBLI, PCD],
    ['self-reflection', 'confidence'],
    'strength',
  ),
  s(
    'We discussed her plans to apply in pediatrics and she is well positioned for the match.',
    [PCD],
    ['career-planning'],
    'strength',
  ),

  // Across domains, and remarks that belong to none
  s(
    'Her clinical reasoning is excellent, but her notes need to be more concise.',
    [PC, ICS],
    ['clinical-reasoning', 'documentation'],
    'mixed',
  ),
  s('Not once did he fail to follow up on a pending lab.', [PC], ['patient-management'], 'strength'),
  s(
    'He did not always document his physical exam findings accurately.',
    [ICS, PC],
    ['documentation', 'history-and-physical'],
    'concern',
  ),
  s(
    'She needs to work on writing more focused assessments in her daily notes.',
    [ICS, PC],
    ['documentation', 'clinical-reasoning'],
    'concern',
  ),
  s("He forgot to check on a patient's pending culture results twice.", [PC], ['patient-management'], 'concern'),
  s('The student was observed performing a lumbar puncture under supervision.', [PC], ['procedural-skills']),
  s('It was a pleasure having him on the team.', [], []),
  s('I look forward to seeing her grow as a physician.', [], []),
  s('Overall, a solid third-year performance.', [], []),
  s('He rotated with us for four weeks in the inpatient unit.', [], []),
];
