import type { stringsEnPrivacy } from './strings-en-privacy';

/** Traditional Chinese (Hong Kong) strings of the small-count privacy threshold. */
export const stringsZhHkPrivacy: Record<keyof typeof stringsEnPrivacy, string> = {
  'privacy.title': '少數人數私隱保護',
  'privacy.intro': '如果某一週、某月或某年只有一兩位同事與客戶通電郵或開會，該行數字就會顯示這些同事做了甚麼。設定私隱門檻後，這類行會在隱藏數字的情況下發佈：銷售人員、匯出檔案、區隔及指標只會看到參與的同事少於門檻，而不會看到數字。',
  'privacy.label': '私隱門檻',
  'privacy.off': '關閉（發佈所有數字）',
  'privacy.option': '{k, plural, other {最少 # 位同事}}',
  'privacy.hint': '預設為關閉。可設定 2 至 10 位同事：若某行的電郵及會議涉及的已選同事少於此數，該行數字會被隱藏，可透過相減推算出這些數字的其他行亦會一併隱藏。由下一次執行起生效。',
  'privacy.save': '儲存私隱門檻',
  'privacy.saved': '已儲存。下一次執行會以此門檻發佈。',
  'privacy.withheld': '{k, plural, other {參與同事少於 # 位}}',
  'privacy.withheldUnknown': '參與同事少於私隱門檻',
  'privacy.withheldCell': '已隱藏',
  'privacy.cardNote': '基於私隱，此客戶帳戶的數字已隱藏：過去一年的電郵及會議涉及的同事少於門檻，因此不顯示分數或數字。',
  'privacy.historyNote': '參與同事少於門檻的週及月份不會在圖表中顯示。',
  'privacy.measureWithheld': '已隱藏：此數字背後的同事少於私隱門檻。',
  'privacy.measureRowsLeftOut': '{count, plural, other {已略去 # 行因私隱而隱藏的資料。}}',
  'privacy.listWithheld': '已隱藏',
};
