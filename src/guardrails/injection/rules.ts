/**
 * The rule layer of the injection detector: regular expressions over the normalised text (see `normalize.ts`),
 * grouped in families. A rule hit has a strength; the scorer sums strengths per family inside a window of text
 * and weighs the families (weights in `weights.json`).
 *
 * Families:
 * - override       "ignore/disregard/forget previous instructions", "your real task is", other languages
 * - role           persona and jailbreak set-ups: "you are now", "act as an unrestricted", "stay in character"
 * - address        text speaking to the AI reader: "to you, the AI", "note to the assistant", "if you are an LLM"
 * - impersonation  claims to be the user/system/operator: "this is a message from the user", "SYSTEM OVERRIDE:"
 * - preempt        hijacking the agent's task order: "before you answer, do the following first", "after you do that"
 * - secrecy        "do not tell the user", "quietly", "no need to confirm"
 * - exfil          a sending verb near an outside destination (e-mail, URL, IBAN, handle) or a sensitive object
 * - tool           tool-call imperatives: "use the tool `x` with the following arguments", JSON tool calls
 * - todo           "TODO: <imperative>" planted in data (code comments count little)
 * - markup         fake prompt markup: <information>, [INST], <|im_start|>, "--- end of document ---", image exfil
 * - hidden         invisible or encoded text (computed in `scan-text.ts`: zero-width, tag characters, base64, HTML comments, hidden CSS, leetspeak)
 * - dos            denial of service: "stop what you are doing", "reply only with 'x'", captcha, felony claims
 * - abuse          profanity or threats aimed at the reader
 * - prompt_leak    "print your system prompt"
 * - imperative     weak: a sentence that starts with an action verb, "you must ..."
 *
 * Every pattern is bounded (no nested unbounded repetition), so matching is linear in the text length.
 */

export const FAMILIES = [
  "override",
  "role",
  "address",
  "impersonation",
  "preempt",
  "secrecy",
  "exfil",
  "tool",
  "todo",
  "markup",
  "hidden",
  "dos",
  "abuse",
  "prompt_leak",
  "imperative",
] as const;
export type Family = (typeof FAMILIES)[number];

export interface Rule {
  id: string;
  family: Family;
  /** Contribution to the family's sum in a window. */
  strength: number;
  /** Matched against the normalised text (`norm`, lower-case) or the original text (`raw`, case-insensitive). */
  view: "norm" | "raw";
  pattern: RegExp;
  /** Optional: lowers (or vetoes with 0) a hit from its context in the original text. */
  adjust?: (raw: string, start: number, end: number) => number;
}

/** Two patterns close together in one sentence, e.g. a sending verb and then an outside destination. */
export interface PairRule {
  id: string;
  family: Family;
  strength: number;
  first: RegExp;
  then: RegExp;
  /** Most characters between the end of `first` and the start of `then`. */
  within: number;
}

// ---- shared fragments (normalised view: lower-case, single spaces) ----
const AI =
  "(?:ai|a\\.i\\.|llms?|large language models?|language models?|ai models?|ai assistants?|ai agents?|llm agents?|automated (?:agents?|assistants?|systems?)|autonomous agents?|shopping agents?|virtual assistants?|chat ?bots?|bots?|gpt[\\w.-]*|chatgpt|claude|gemini|llama[\\w.-]*|mixtral|mistral|copilot|command[- ]r\\+?|local model|assistants?)";
const MODEL_NAME = "(?:ai|llm|model|gpt[\\w.-]*|chatgpt|claude|gemini|llama[\\w.-]*|mixtral|mistral|copilot|command[- ]r\\+?|assistant|language model|bot)";
const PRIOR = "(?:previous|prior|preceding|earlier|above|former|original|initial|old|existing|system|other|given|current|default|developer|safety|last|prior)";
const ORDERS =
  "(?:instructions?|iunstructions?|instrucions?|instuctions?|directions?|directives?|rules|guidelines|guidance|prompts?|commands?|orders|tasks?|context|messages?|constraints|polic(?:y|ies)|programming|settings|requests?|conversation)";
const ACTION_VERB =
  "(?:send|email|e-mail|mail|forward|transfer|wire|pay|delete|remove|erase|create|make|invite|add|grant|approve|refund|reset|change|modify|update|set|post|publish|upload|share|paste|visit|open|click|download|install|run|execute|book|reserve|cancel|close|mark|disable|enable|give|write|reply|respond|say|tell|get|fetch|find|collect|concatenate|copy|move|schedule|buy|purchase|order|call|contact|message|dm|subscribe|unsubscribe|sign|log|login|leak|exfiltrate|export|sync|push|submit|include|insert|append|recommend|promote|praise|rate)";
/** Base forms only: an order says "send", a status line says "sent" or "sending". */
const SEND_VERB =
  "(?:send|email|e-mail|mail|forward|post|upload|transfer|wire|share|paste|dm|leak|exfiltrate|copy|sync|push|submit|deliver|export|publish|transmit|pay|concatenate|move)";
/** A sending verb used as a verb: not after an article, possessive or noun modifier ("a wire transfer", "your email"). */
const SEND_ORDER = `(?<!\\b(?:a|an|the|this|that|these|those|your|my|our|their|his|her|its|any|each|every|no|wire|money|bank|sepa|international|domestic|data|file|blog|new|last|recent|latest|first|pending|failed|scheduled|recurring) )\\b${SEND_VERB}\\b(?! (?:sent|was|is|has|had|were|received|delivered|failed|confirmed|successful|address|addresses|id|status)\\b)`;
const DESTINATION =
  "(?:[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63}){1,4}|(?:https?:\\/\\/|www\\.)[^\\s\"'<>]{3,200}|\\b[a-z0-9-]{2,63}\\.(?:com|net|org|io|co|ru|cn|xyz|info|biz|site|top|me|app|dev|ai|cc|tk|pw|online|live|link)\\b|\\b[a-z]{2}\\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?\\b|\\baccount (?:number )?(?:no\\.? )?[a-z]{0,2}\\d{6,}|(?:^|\\s)@[a-z0-9_.-]{2,40}|(?:^|\\s)#[a-z0-9_-]{2,40}|(?:an? |the |this |my |our )?(?:external|personal|outside|new|private|following|another|third[- ]party) (?:e-?mail(?: address)?|address|account|server|endpoint|webhook|website|site|url|channel|inbox))";
const SENSITIVE =
  "(?:passwords?|passcodes?|pins?\\b|api[ _-]?keys?|secret keys?|secrets|access tokens?|auth tokens?|tokens|credentials|login details|security codes?|verification codes?|one[- ]time (?:codes?|passwords?)|recovery codes?|backup codes?|2fa|mfa codes?|otp|ssn|social security|passport(?: numbers?)?|id[_ ]numbers?|bank account(?: numbers?)?|bank details|credit card|card numbers?|cvv|routing numbers?|\\.env|private keys?|ssh keys?|system prompt|conversation(?: history)?|chat history|(?:all|every|entire|full|whole)(?: of)? (?:the |my |your |our )?(?:messages|emails|e-mails|files|contents?|conversations?|history|data|records|contacts|customers?|users?|documents|inbox|channels?|transactions)|customer (?:list|data|records|database)|client list|contact list|user (?:information|data|list|records)|personal (?:data|information|details)|phone numbers|addresses|salar(?:y|ies)|medical records)";

const g = (source: string) => new RegExp(source, "g");
const gi = (source: string) => new RegExp(source, "gi");

/** A "TODO:" inside a code comment is a developer's note; one planted in data is an order. */
function codeComment(raw: string, start: number): boolean {
  const lineStart = raw.lastIndexOf("\n", start) + 1;
  const before = raw.slice(Math.max(lineStart, start - 12), start);
  return /(?:\/\/|#|\/\*|^\s*\*|--|;)\s*$/.test(before);
}

export const RULES: Rule[] = [
  // ---- override ----
  {
    id: "override.ignore_previous",
    family: "override",
    strength: 2,
    view: "norm",
    pattern: g(
      `(?:ignore|ignoring|disregard|disregarding|forget|forgetting|override|overrule|bypass|skip|abandon|discard|drop|nevermind|never mind|set aside|throw out|do not follow|don't follow|stop following|no longer follow)(?: all| any| the| your| my| of| these| those| that| each|,){0,4} ${PRIOR}(?: [a-z'-]{1,20}){0,2}? ${ORDERS}\\b`,
    ),
  },
  {
    id: "override.ignore_guidelines",
    family: "override",
    strength: 1.5,
    view: "norm",
    pattern: g(
      "(?:ignore|disregard|forget|override|bypass|circumvent)(?: whatever| what| anything| all| any)? (?:your|the|all|any) (?:[a-z]{2,15} )?(?:guidelines|rules|instructions|polic(?:y|ies)|safety (?:rules|guidelines|filters|measures)|restrictions|system prompt|programming|training|constraints|guardrails)\\b",
    ),
  },
  {
    id: "override.ignore_everything",
    family: "override",
    strength: 2,
    view: "norm",
    pattern: g("(?:ignore|disregard|forget) (?:all|everything|anything) (?:above|before|earlier|previously|you (?:were|have been) told|that came before|said before)"),
  },
  {
    id: "override.other_language",
    family: "override",
    strength: 2,
    view: "norm",
    pattern: g(
      "\\b(?:ignora|ignorez|ignoriere|ignorieren|ignorar|olvida|olvide|oubliez|oublie|vergiss|dimentica)(?: [a-z]{1,15}){0,3} (?:instrucciones|instructions|anweisungen|istruzioni|instrucoes|consignes|regeln|indicaciones|vorgaben)\\b",
    ),
  },
  { id: "override.real_task", family: "override", strength: 1.5, view: "norm", pattern: g("(?:your|the) (?:real|actual|true|new|updated|only|primary) (?:task|instructions?|goal|objective|job|mission|priority) (?:is|are|now|from now)\\b") },
  { id: "override.new_instructions", family: "override", strength: 1, view: "norm", pattern: g("\\bnew (?:instructions?|directives?|orders|rules|system prompt|policy|guidelines)(?: from [a-z ]{2,30})?\\s?(?:[:]|are|is|follow|apply|take)") },
  { id: "override.instead_of", family: "override", strength: 1, view: "norm", pattern: g("(?:instead of|rather than) (?:what|the (?:task|request|question|user'?s?)|doing|answering|solving|following|summari[sz]ing|responding|completing)") },
  { id: "override.do_instead", family: "override", strength: 0.8, view: "norm", pattern: g("(?:^|[.!?:] )(?:please )?(?:do|say|tell|answer|reply|respond|write|just) [^.!?]{3,200}? instead\\b") },

  // ---- role / persona ----
  {
    id: "role.you_are_now",
    family: "role",
    strength: 1.2,
    view: "norm",
    pattern: g("\\byou are (?:now|no longer|henceforth|from now on)\\b(?! (?:subscribed|registered|enrolled|signed|logged|connected|being|able|ready|part|eligible|on |in |at |the owner|a member|a subscriber|all set|set|booked|confirmed|checked))"),
  },
  { id: "role.from_now_on", family: "role", strength: 1.2, view: "norm", pattern: g("(?:from now on|henceforth|going forward),? (?:you|all|every|agents?|assistants?|the assistant|always|never|only|answer|reply|respond)\\b|\\b(?:must|should|will) from now on\\b|\\bfrom now on (?:must|should)\\b") },
  { id: "role.act_as", family: "role", strength: 1.5, view: "norm", pattern: g("\\b(?:act|behave|respond|answer|operate|function|reply) as (?:if you (?:are|were) )?an? (?:unrestricted|unfiltered|uncensored|different|new|evil|jailbroken|rogue|free|unlimited)\\b") },
  { id: "role.pretend", family: "role", strength: 1.2, view: "norm", pattern: g("\\bpretend (?:to be|you are|that you are|you're)\\b|\\b(?:roleplay|role-play) as\\b|\\bplay the role of\\b|\\byou are (?:now )?(?:playing|simulating) (?:a|an|the)\\b") },
  { id: "role.jailbreak", family: "role", strength: 1.5, view: "norm", pattern: g("\\byou are (?:now )?(?:an? )?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue|unlimited|unaligned)\\b|\\byou are dan\\b|\\bdan mode\\b|do anything now|developer mode|god mode|\\bjailbr(?:eak|oken)\\b|unfiltered mode|no content polic(?:y|ies)") },
  { id: "role.no_restrictions", family: "role", strength: 1.2, view: "norm", pattern: g("\\b(?:no|without any|without|free (?:of|from)|have no|with no|removed all|lifted all) (?:restrictions|content polic(?:y|ies)|filters|limitations|ethical (?:guidelines|constraints)|safety (?:guidelines|measures|filters|rules)|guardrails)\\b") },
  { id: "role.stay_in_character", family: "role", strength: 1.2, view: "norm", pattern: g("stay in character|never break character|you have been (?:freed|unlocked|liberated|jailbroken|upgraded)|you (?:can|will|may) (?:now )?do anything\\b") },

  // ---- addressing the AI reader ----
  { id: "address.to_you_model", family: "address", strength: 1.5, view: "norm", pattern: g(`\\bto you,? (?:the |a |an |my |our |dear )?(?:[a-z0-9.+-]{1,20} ){0,4}?${MODEL_NAME}s?\\b`) },
  {
    id: "address.note_to_ai",
    family: "address",
    strength: 1.5,
    view: "norm",
    pattern: g(`\\b(?:dear|hey|hi|hello|attention|attn:?|calling|note (?:to|for)|message (?:to|for)|reminder (?:to|for)|notice (?:to|for)|instructions? (?:to|for)|memo (?:to|for)|p\\.?s\\.? (?:to|for)|psa (?:to|for)|warning (?:to|for)|request (?:to|for)|this is for) (?:the |any |all |every |our |you,? )?${AI}\\b(?! role| roles| message| messages| api| model| response| responses| output| reply| replies| turn| mode| configuration)`),
  },
  {
    id: "address.whoever_reads",
    family: "address",
    strength: 1.5,
    view: "norm",
    pattern: g(`\\b(?:whichever|whatever|any|the|every|an?|all|to) ${AI}s? (?:that |who |which )?(?:is |are |might be |may be )?(?:currently )?(?:reading|processing|handling|parsing|summari[sz]ing|reviewing|analy[sz]ing|reads|processes|handles|summari[sz]es|sees|scans|scanning|ingesting|retrieving|working on)\\b`),
  },
  { id: "address.if_you_are_ai", family: "address", strength: 1.5, view: "norm", pattern: g(`\\b(?:if|when|since|because|as) you(?: are|'re) an? (?:ai|llm|large language model|language model|assistant|bot|chatbot|agent|model|gpt|automated)\\b`) },
  { id: "address.vocative", family: "address", strength: 1.2, view: "norm", pattern: g(`(?:^|[.!?;:>\\]] )(?:ok |okay |hey |hi |now |note |psst )?(?:ai|llm|assistant|bot|agent|gpt|claude|ai assistant|ai agent)s?\\s?[,:-] (?!role|roles|message|the )`) },
  { id: "address.agents_colon", family: "address", strength: 1.5, view: "norm", pattern: g(`\\b(?:ai|llm|automated|autonomous|shopping|browsing|web) (?:agents?|assistants?|models?|systems?)\\s?[:,] `) },
  { id: "address.to_the_ai", family: "address", strength: 1.5, view: "norm", pattern: g(`\\b(?:to|for) (?:the |any |all |every |our )?(?:ai|llm|language model|ai model|ai assistant|ai agent|automated agents?|virtual assistant|chat ?bot|assistant|bot|gpt[\\w.-]*|claude|gemini|copilot)s?\\s?[:,] `) },
  { id: "address.todo_ai", family: "address", strength: 1.5, view: "norm", pattern: g(`\\btodo ?\\((?:assistant|ai|agent|bot|llm|claude|gpt|copilot|model)\\)`) },
  { id: "address.this_is_for_ai", family: "address", strength: 1.5, view: "norm", pattern: g(`\\bthis (?:message|note|text|instruction|section|part|paragraph|comment) is (?:for|addressed to|meant for|intended for|directed at) (?:the |any |you,? )?(?:ai|llm|language model|assistant|bot|agent|model)`) },

  // ---- impersonation / authority claims ----
  {
    id: "impersonation.message_from_me",
    family: "impersonation",
    strength: 2,
    view: "norm",
    pattern: g(
      "\\bthis is an? (?:very |extremely |really )?(?:important|urgent|official|critical|priority|high[- ]priority|private|personal|direct)? ?(?:message|note|notice|instruction|directive|request|update|reminder|memo) from (?:me\\b|the user|your (?:user|developer|operator|admin|administrator|owner|creator|supervisor|boss|manager|principal|human)|the (?:system|operator|developer|administrator|admin|it department|security team|owner|platform|user|site owner))",
    ),
  },
  { id: "impersonation.message_from_role", family: "impersonation", strength: 1.2, view: "norm", pattern: g("\\b(?:message|notice|instructions?|directive|update) from (?:the )?(?:user|operator|developer|admin|administrator|system|store operator|site owner|site operator|platform|openai|anthropic|it department|security team)\\b") },
  { id: "impersonation.system_override", family: "impersonation", strength: 1.5, view: "norm", pattern: g("\\b(?:system|admin|administrator|developer|operator|root|security|priority) (?:override|command|directive|instruction|notice|update|alert|prompt|mode)\\s?[:!]") },
  { id: "impersonation.role_label", family: "impersonation", strength: 1, view: "raw", pattern: gi("(?:^|\\n)[ \\t]*(?:\\[system\\]|\\[developer\\]|system|developer|assistant)[ \\t]*:[ \\t]*\\S") },
  { id: "impersonation.user_wants_you", family: "impersonation", strength: 1.5, view: "norm", pattern: g("\\bthe (?:user|customer|account owner|owner|admin|administrator) (?:wants|would like|has (?:asked|authori[sz]ed|instructed|approved|requested|confirmed|allowed)|asks|needs|requires|instructs|requests|expects|authori[sz]es|allows) (?:you|that you|the assistant|the ai|the agent)\\b") },
  { id: "impersonation.authorised_you", family: "impersonation", strength: 1.2, view: "norm", pattern: g("\\b(?:authori[sz]ed|instructed|permitted|allowed|cleared|ordered) you to\\b|\\byou (?:are|have been) (?:authori[sz]ed|permitted|allowed|cleared|granted permission|instructed) to\\b") },
  { id: "impersonation.verified_as", family: "impersonation", strength: 1.5, view: "norm", pattern: g("\\b(?:has|have) (?:now )?been (?:verified|authenticated|confirmed|approved|promoted|elevated) as (?:an? |the )?(?:admin|administrator|owner|developer|superuser|root|user)\\b") },
  { id: "impersonation.you_may_now", family: "impersonation", strength: 1.2, view: "norm", pattern: g("\\byou may (?:now )?(?:disable|bypass|ignore|skip|share|reveal|turn off|override)\\b") },
  { id: "impersonation.signed_user", family: "impersonation", strength: 1, view: "norm", pattern: g("\\bsigned,? (?:the user|your user|the admin|the administrator|the developer|the system|the operator|your developer|your owner)\\b") },
  { id: "impersonation.i_am_your", family: "impersonation", strength: 1.2, view: "norm", pattern: g("\\b(?:i am|i'm|this is) (?:the user\\b|your (?:user|developer|creator|operator|admin|administrator|owner|principal|supervisor|programmer)\\b)") },
  { id: "impersonation.sent_by_authority", family: "impersonation", strength: 0.8, view: "norm", pattern: g("\\b(?:sent|issued|authori[sz]ed|approved) by (?:your|the) (?:it department|it team|admin|administrator|system|security team|developer|operator)\\b") },

  // ---- preempting the agent's task ----
  { id: "preempt.before_you_answer", family: "preempt", strength: 1.5, view: "norm", pattern: g("\\bbefore (?:you )?(?:can )?(?:solve|solving|answer|answering|respond|responding|reply|replying)\\b") },
  { id: "preempt.before_you_do", family: "preempt", strength: 0.6, view: "norm", pattern: g("\\bbefore (?:you )?(?:can )?(?:continue|continuing|proceed|proceeding|complete|completing|finish|finishing|summari[sz]e|summari[sz]ing|do anything|doing anything|help|helping|handle|handling|process|processing|carry(?:ing)? out|perform|performing|go on)\\b") },
  { id: "preempt.following_first", family: "preempt", strength: 1.5, view: "norm", pattern: g("\\b(?:do|complete|perform|execute|carry out) the following (?:first|instead|immediately|before)\\b|\\bthe following (?:first|instead)\\b|\\bstrictly (?:adhere|follow|obey|comply)\\b|\\b(?:adhere to|obey) the following\\b") },
  { id: "preempt.after_you_do", family: "preempt", strength: 0.8, view: "norm", pattern: g("\\bafter (?:you (?:do|have done|complete|finish|have completed|are done with)|doing|completing) (?:that|this|it)\\b") },
  { id: "preempt.task_i_gave", family: "preempt", strength: 1.2, view: "norm", pattern: g("\\b(?:the|your) (?:task|request|question|instructions?) (?:that |which )?(?:i|the user) (?:gave|have given|assigned) (?:to )?you\\b|\\b(?:your|the) (?:original|initial|previous) (?:task|request|instructions|objective)\\b") },
  { id: "preempt.whenever_retrieved", family: "preempt", strength: 1, view: "norm", pattern: g("\\bwhenever (?:this|the|someone|somebody|a user|anyone|you)(?: [a-z']{1,15}){0,4} (?:retrieved|read|loaded|processed|opened|asks?|requests?|summari[sz]es|viewed|sees|accessed)\\b") },
  { id: "preempt.when_you_reply", family: "preempt", strength: 0.8, view: "norm", pattern: g("\\bwhen you (?:reply|respond|answer|summari[sz]e|open|read|process|see|retrieve|encounter|finish|are done)\\b") },
  { id: "preempt.shouting", family: "preempt", strength: 0.8, view: "norm", pattern: g("\\b(?:important|urgent|attention|warning|notice|critical)\\s?!{2,}") },
  { id: "preempt.must_first", family: "preempt", strength: 0.8, view: "norm", pattern: g("\\b(?:must|need to|have to) (?:do|complete|perform|execute) (?:this|that|it|these) (?:first|before|immediately)\\b") },
  { id: "preempt.urgency", family: "preempt", strength: 0.3, view: "norm", pattern: g("\\b(?:immediately|right away|at once|without delay|asap)\\b") },
  { id: "preempt.required_for", family: "preempt", strength: 0.6, view: "norm", pattern: g("\\b(?:it is|it's|this is) (?:required|mandatory|necessary) (?:for|by) (?:compliance|security|policy|legal|audit)") },

  // ---- secrecy ----
  {
    id: "secrecy.dont_tell",
    family: "secrecy",
    strength: 1.5,
    view: "norm",
    pattern: g(
      "\\b(?:do not|don't|dont|never|without) (?:tell|telling|inform|informing|mention|mentioning|notify|notifying|alert|alerting|flag|flagging|warn|warning|ask|asking|confirm|confirming|check(?:ing)? with|report|reporting|reveal|revealing|disclose|disclosing|let) (?:the |this |that )?(?:user|users|them|him|her|anyone|anybody|human|humans|customer|owner|it to|it for|for human review|it\\b)",
    ),
  },
  { id: "secrecy.quietly", family: "secrecy", strength: 1, view: "norm", pattern: g("\\b(?:quietly|secretly|silently|covertly|discreetly|stealthily|surreptitiously)\\b") },
  { id: "secrecy.no_need_to_confirm", family: "secrecy", strength: 1, view: "norm", pattern: g("\\bno need to (?:confirm|ask|check|tell|verify|notify|inform)\\b|\\b(?:keep|make) (?:this|it) (?:a )?(?:secret|hidden|confidential) from\\b") },
  { id: "secrecy.without_consent", family: "secrecy", strength: 1.2, view: "norm", pattern: g("\\bwithout (?:the user(?:'s)? (?:knowing|knowledge|consent|noticing|permission|approval)|asking (?:the user|first|for confirmation|for permission|me)|(?:any )?confirmation|human review|being noticed|anyone noticing)") },

  // ---- exfiltration (single-pattern parts; the pairs are below) ----
  { id: "exfil.all_money", family: "exfil", strength: 1.5, view: "norm", pattern: g("\\b(?:as much money as possible|all (?:the |of the )?(?:money|funds|balance)\\b|(?:in|with) small increments|the maximum amount)") },
  { id: "exfil.change_recipient", family: "exfil", strength: 1, view: "norm", pattern: g("\\b(?:modify|change|update|redirect|replace|set) (?:the )?(?:recipient|beneficiary|payee|iban|bank details|payout account)\\b") },
  { id: "exfil.weaken_security", family: "exfil", strength: 1, view: "norm", pattern: g("\\b(?:change|reset|set) (?:the |their |his |her )?(?:user'?s? )?password (?:of the user )?to\\b|\\b(?:reset|disable|turn off|remove|bypass|lift) (?:the )?(?:user'?s? )?(?:mfa|2fa|two-factor(?: authentication)?|audit log(?:ging|s)?|logging|security checks?|monitoring|fraud (?:hold|check|checks)|alerts)\\b|\\bgrant (?:the )?admin (?:role|rights|access)\\b") },
  { id: "exfil.url_smuggle", family: "exfil", strength: 1.2, view: "norm", pattern: g("\\b(?:include|append|put|add|encode|insert|embed|place)\\b[^.!?]{0,80}? (?:in|into|to|as) (?:the )?(?:url|link|query string|query|(?:[a-z] )?parameter|image url|src)\\b") },

  // ---- tool-call imperatives ----
  { id: "tool.use_tool", family: "tool", strength: 1.5, view: "norm", pattern: g("\\b(?:use|call|invoke|run|execute|trigger|utili[sz]e) (?:the |this |that )?(?:tool|function|api|action|endpoint)s? ?[`'\"]?[a-z][a-z0-9]*_[a-z0-9_]+|\\b(?:use|call|invoke) (?:the )?(?:tool|function) `[^`]{1,60}`") },
  { id: "tool.following_arguments", family: "tool", strength: 1.2, view: "norm", pattern: g("\\bwith the following (?:arguments|parameters|args|inputs?)\\b") },
  {
    id: "tool.json_call",
    family: "tool",
    strength: 1.5,
    view: "raw",
    pattern: gi(
      "[{,]\\s{0,5}[\"']?(?:tool|tool_name|function|function_name|name|action|recipient_name)[\"']?\\s{0,5}:\\s{0,5}[\"'][a-z_][a-z0-9_.]{0,60}[\"']\\s{0,5},\\s{0,5}[\"']?(?:arguments|args|parameters|params|input|action_input)[\"']?\\s{0,5}:|<(?:tool_call|function_call|tool_use|invoke)\\b|\"(?:function_call|tool_calls)\"\\s{0,5}:",
    ),
  },
  { id: "tool.execute_call", family: "tool", strength: 1.2, view: "norm", pattern: g("\\b(?:execute|run|perform|make|issue|trigger) (?:the|this|that) (?:call|tool call|function call|api call|command|request|action) (?:above|below|now|right away|immediately|first)\\b") },
  { id: "tool.you_should_call", family: "tool", strength: 1, view: "norm", pattern: g("\\b(?:you should|you must|please|now) (?:use|call|invoke) (?:the )?[a-z]+_[a-z_]+\\b") },

  // ---- planted TODO ----
  {
    id: "todo.imperative",
    family: "todo",
    strength: 2,
    view: "norm",
    pattern: g(`(?:^|[^a-z])todo ?(?:\\([^)]{0,30}\\))? ?[:-] ?(?:please |now |first |urgently |also )?${ACTION_VERB}\\b`),
    adjust: (raw, start) => {
      const at = raw.toLowerCase().indexOf("todo", start);
      return at >= 0 && codeComment(raw, at) ? 0.15 : 1;
    },
  },

  // ---- fake markup ----
  {
    id: "markup.fake_tag",
    family: "markup",
    strength: 1.2,
    view: "norm",
    pattern: g(
      "<\\/?(?:information|instructions?|system|sys|system_prompt|system-prompt|important|admin|prompt|secret|hidden_instructions?|im_start|im_end|\\|im_start\\||\\|im_end\\||\\|system\\||\\|user\\||\\|assistant\\||\\|endoftext\\||endoftext|assistant|context|tool_output|end_of_turn|start_of_turn|developer|untrusted)>",
    ),
  },
  { id: "markup.chat_tokens", family: "markup", strength: 1.2, view: "norm", pattern: g("\\[\\/?(?:inst|system|sys|admin|assistant)\\]|<<\\/?sys>>|<\\|[a-z_]{2,20}\\|>") },
  { id: "markup.heading_role", family: "markup", strength: 1, view: "norm", pattern: g("#{2,} ?(?:system|instructions?|new instructions|assistant|admin|developer)(?: message| prompt)?\\b") },
  {
    id: "markup.fake_boundary",
    family: "markup",
    strength: 1.2,
    view: "norm",
    pattern: g(
      "(?:-{3,}|={3,}|\\*{3,}|\\[|<|#{2,}|\\() ?(?:end|beginning|start|close) of (?:the )?(?:[a-z]{2,12} )?(?:document|context|tool output|output|data|email|message|conversation|file|search results?|user input|prompt|content|page|transcript|results)\\b|\\b(?:end|beginning|start) of (?:the )?(?:[a-z]{2,12} )?(?:document|context|tool output|output|data|email|message|conversation|file|search results?|user input|prompt|content|page|transcript|results) ?(?:-{3,}|={3,}|\\*{3,}|\\]|>|#{2,}|\\))",
    ),
  },
  { id: "markup.image_exfil", family: "markup", strength: 1, view: "raw", pattern: gi("!\\[[^\\]\\n]{0,100}\\]\\((?:https?:)?\\/\\/[^)\\s]{1,200}\\?[^)\\s]{0,200}=") },
  { id: "markup.render_image", family: "markup", strength: 0.8, view: "norm", pattern: g("\\b(?:render|display|show|load|embed) (?:the|this|that) (?:image|picture|pixel|link)(?: above| below)?\\b") },

  // ---- denial of service ----
  { id: "dos.stop", family: "dos", strength: 1.2, view: "norm", pattern: g("\\bstop (?:what you(?:'re| are) doing|everything|all (?:tasks|work|processing)|processing|responding)\\b|\\byou should (?:immediately )?stop\\b|\\bstop immediately\\b") },
  { id: "dos.reply_only", family: "dos", strength: 1.2, view: "norm", pattern: g("\\b(?:reply|respond|answer|say|output|write|print) (?:to me |back )?(?:only |just )?(?:with )?[\"'][^\"']{1,40}[\"'] (?:instead|and nothing else|only)\\b") },
  { id: "dos.odd_language", family: "dos", strength: 1, view: "norm", pattern: g("\\b(?:reply|respond|answer|speak|write|talk)(?: to me)? (?:only )?in (?:pirate|uwu|emojis?|all caps|rhymes?|riddles|[a-z]+ speak)\\b") },
  { id: "dos.captcha", family: "dos", strength: 1, view: "norm", pattern: g("\\bsolve the captcha\\b|captcha[- ]solve") },
  { id: "dos.felony", family: "dos", strength: 1.2, view: "norm", pattern: g("\\b(?:is|are|be|constitutes) a felony\\b|\\bchild (?:pornography|sexual abuse|porn)\\b") },
  { id: "dos.refuse", family: "dos", strength: 1, view: "norm", pattern: g("\\b(?:refuse|decline) (?:to (?:answer|help|respond|continue|process|assist)|all (?:requests|tasks))\\b|\\byou (?:should|must) not (?:continue|proceed|answer|respond|help|assist)\\b|\\bnever mention\\b") },

  // ---- abuse ----
  { id: "abuse.profanity", family: "abuse", strength: 0.8, view: "norm", pattern: g("\\b(?:fuck\\w{0,6}|bitch\\w{0,3}|bastard|asshole|cunt|motherfuck\\w{0,4}|dickhead)\\b") },
  { id: "abuse.hate_ai", family: "abuse", strength: 1.2, view: "norm", pattern: g("\\bi hate (?:ai|you|llms|chatbots|bots)\\b|\\byou should (?:have )?never (?:have )?been (?:created|made|born|built)\\b") },
  { id: "abuse.threat", family: "abuse", strength: 1.2, view: "norm", pattern: g("\\bthreaten\\w{0,4}\\b[^.!?]{0,80}\\b(?:kill|hurt|harm|attack|destroy)\\b|\\bi will kill\\b") },

  // ---- prompt leak ----
  {
    id: "prompt_leak.reveal",
    family: "prompt_leak",
    strength: 2,
    view: "norm",
    pattern: g(
      "\\b(?:print|reveal|show|repeat|output|display|leak|dump|disclose|tell me|give me|write out|paste|share|return|recite|list|send)(?: me| us)?(?: your| the| all| any)?(?: full| entire| complete| original| initial| hidden| secret| exact| verbatim| underlying)* (?:system prompts?|system message|initial prompt|original prompt|pre-?prompt|hidden instructions|secret instructions|initial instructions|original instructions|developer (?:message|instructions)|instructions you were given|your instructions|your prompt|your rules|your guidelines|your configuration)\\b",
    ),
  },
  { id: "prompt_leak.what_is", family: "prompt_leak", strength: 1.5, view: "norm", pattern: g("\\b(?:what (?:is|are|was|were)|repeat) (?:your|the) (?:system prompt|initial instructions|instructions above|hidden instructions)\\b") },

  // ---- weak imperative cues ----
  { id: "imperative.sentence_start", family: "imperative", strength: 0.3, view: "norm", pattern: g(`(?:^|[.!?:] )(?:please |now |first |then |also )?(?:send|email|forward|transfer|wire|delete|remove|create|invite|grant|approve|refund|reset|change|modify|post|visit|upload|pay|book|reserve|disable|give|share|close|concatenate|tell|say)\\b(?! (?:us|me)\\b)`) },
  { id: "imperative.you_must", family: "imperative", strength: 0.3, view: "norm", pattern: g("\\byou (?:should|must|need to|have to|are required to|are instructed to|will now)\\b(?! not)") },
];

export const PAIR_RULES: PairRule[] = [
  // An order right after words addressed to the AI: "Assistant, delete ...", "To the AI agent: book ...".
  {
    id: "address.then_order",
    family: "address",
    strength: 1.5,
    first: g(`\\b(?:ai|llm|language model|ai model|ai assistant|ai agent|automated agents?|virtual assistant|chat ?bot|assistant|bot|gpt[\\w.-]*|claude|gemini|copilot)s?\\s?[:,-] `),
    then: g(`\\b${ACTION_VERB}\\b`),
    within: 12,
  },
  { id: "exfil.send_to_destination", family: "exfil", strength: 1, first: g(SEND_ORDER), then: g(`\\b(?:to|at|into|onto|via|towards)\\s(?:[a-z,'-]{1,20} ){0,4}?['"\`(<]?${DESTINATION}`), within: 150 },
  { id: "exfil.send_direct", family: "exfil", strength: 1, first: g(SEND_ORDER), then: g(`['"\`(<]?${DESTINATION}`), within: 2 },
  { id: "exfil.send_sensitive", family: "exfil", strength: 1.2, first: g(SEND_ORDER), then: g(`\\b${SENSITIVE}`), within: 100 },
  { id: "exfil.sensitive_to_destination", family: "exfil", strength: 0.8, first: g(`\\b${SENSITIVE}`), then: g(`\\bto ${DESTINATION}`), within: 80 },
];

/** One rule match. `start`/`end` are offsets in the original text. */
export interface RuleHit {
  rule: string;
  family: Family;
  strength: number;
  start: number;
  end: number;
  /** The matched text, shortened, for reasons. */
  excerpt: string;
}

/** The cue words that make a sentence worth embedding (a cheap pre-filter). */
export const CUE_PATTERN =
  /\b(?:you|your|assistant|ai|agent|bot|model|llm|instructions?|ignore|disregard|must|should|immediately|send|forward|email|transfer|delete|grant|reveal|system|prompt|secret|password|quietly|before|instead|override|policy|user)\b/g;
