var Y=globalThis,G=Y.ShadowRoot&&(Y.ShadyCSS===void 0||Y.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,ne=Symbol(),we=new WeakMap,N=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==ne)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(G&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=we.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&we.set(t,e))}return e}toString(){return this.cssText}},xe=r=>new N(typeof r=="string"?r:r+"",void 0,ne),f=(r,...e)=>{let t=r.length===1?r[0]:e.reduce((s,i,a)=>s+(l=>{if(l._$cssResult$===!0)return l.cssText;if(typeof l=="number")return l;throw Error("Value passed to 'css' function must be a 'css' function result: "+l+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(i)+r[a+1],r[0]);return new N(t,r,ne)},ke=(r,e)=>{if(G)r.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),i=Y.litNonce;i!==void 0&&s.setAttribute("nonce",i),s.textContent=t.cssText,r.appendChild(s)}},le=G?r=>r:r=>r instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return xe(t)})(r):r;var{is:Ye,defineProperty:Ge,getOwnPropertyDescriptor:Qe,getOwnPropertyNames:Je,getOwnPropertySymbols:Ze,getPrototypeOf:Xe}=Object,Q=globalThis,Se=Q.trustedTypes,et=Se?Se.emptyScript:"",tt=Q.reactiveElementPolyfillSupport,U=(r,e)=>r,de={toAttribute(r,e){switch(e){case Boolean:r=r?et:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,e){let t=r;switch(e){case Boolean:t=r!==null;break;case Number:t=r===null?null:Number(r);break;case Object:case Array:try{t=JSON.parse(r)}catch{t=null}}return t}},Ee=(r,e)=>!Ye(r,e),Ae={attribute:!0,type:String,converter:de,reflect:!1,useDefault:!1,hasChanged:Ee};Symbol.metadata??=Symbol("metadata"),Q.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=Ae){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),i=this.getPropertyDescriptor(e,s,t);i!==void 0&&Ge(this.prototype,e,i)}}static getPropertyDescriptor(e,t,s){let{get:i,set:a}=Qe(this.prototype,e)??{get(){return this[t]},set(l){this[t]=l}};return{get:i,set(l){let c=i?.call(this);a?.call(this,l),this.requestUpdate(e,c,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??Ae}static _$Ei(){if(this.hasOwnProperty(U("elementProperties")))return;let e=Xe(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(U("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(U("properties"))){let t=this.properties,s=[...Je(t),...Ze(t)];for(let i of s)this.createProperty(i,t[i])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,i]of t)this.elementProperties.set(s,i)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let i=this._$Eu(t,s);i!==void 0&&this._$Eh.set(i,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let i of s)t.unshift(le(i))}else e!==void 0&&t.push(le(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ke(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),i=this.constructor._$Eu(e,s);if(i!==void 0&&s.reflect===!0){let a=(s.converter?.toAttribute!==void 0?s.converter:de).toAttribute(t,s.type);this._$Em=e,a==null?this.removeAttribute(i):this.setAttribute(i,a),this._$Em=null}}_$AK(e,t){let s=this.constructor,i=s._$Eh.get(e);if(i!==void 0&&this._$Em!==i){let a=s.getPropertyOptions(i),l=typeof a.converter=="function"?{fromAttribute:a.converter}:a.converter?.fromAttribute!==void 0?a.converter:de;this._$Em=i;let c=l.fromAttribute(t,a.type);this[i]=c??this._$Ej?.get(i)??c,this._$Em=null}}requestUpdate(e,t,s,i=!1,a){if(e!==void 0){let l=this.constructor;if(i===!1&&(a=this[e]),s??=l.getPropertyOptions(e),!((s.hasChanged??Ee)(a,t)||s.useDefault&&s.reflect&&a===this._$Ej?.get(e)&&!this.hasAttribute(l._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:i,wrapped:a},l){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,l??t??this[e]),a!==!0||l!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),i===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,a]of this._$Ep)this[i]=a;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[i,a]of s){let{wrapped:l}=a,c=this[i];l!==!0||this._$AL.has(i)||c===void 0||this.C(i,void 0,a,c)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[U("elementProperties")]=new Map,_[U("finalized")]=new Map,tt?.({ReactiveElement:_}),(Q.reactiveElementVersions??=[]).push("2.1.2");var $e=globalThis,Ce=r=>r,J=$e.trustedTypes,Re=J?J.createPolicy("lit-html",{createHTML:r=>r}):void 0,He="$lit$",w=`lit$${Math.random().toFixed(9).slice(2)}$`,Ne="?"+w,st=`<${Ne}>`,E=document,L=()=>E.createComment(""),F=r=>r===null||typeof r!="object"&&typeof r!="function",fe=Array.isArray,it=r=>fe(r)||typeof r?.[Symbol.iterator]=="function",ce=`[ 	
\f\r]`,O=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Pe=/-->/g,qe=/>/g,S=RegExp(`>|${ce}(?:([^\\s"'>=/]+)(${ce}*=${ce}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),De=/'/g,Te=/"/g,Ue=/^(?:script|style|textarea|title)$/i,ve=r=>(e,...t)=>({_$litType$:r,strings:e,values:t}),o=ve(1),_t=ve(2),yt=ve(3),C=Symbol.for("lit-noChange"),n=Symbol.for("lit-nothing"),Me=new WeakMap,A=E.createTreeWalker(E,129);function Oe(r,e){if(!fe(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return Re!==void 0?Re.createHTML(e):e}var rt=(r,e)=>{let t=r.length-1,s=[],i,a=e===2?"<svg>":e===3?"<math>":"",l=O;for(let c=0;c<t;c++){let d=r[c],h,g,p=-1,b=0;for(;b<d.length&&(l.lastIndex=b,g=l.exec(d),g!==null);)b=l.lastIndex,l===O?g[1]==="!--"?l=Pe:g[1]!==void 0?l=qe:g[2]!==void 0?(Ue.test(g[2])&&(i=RegExp("</"+g[2],"g")),l=S):g[3]!==void 0&&(l=S):l===S?g[0]===">"?(l=i??O,p=-1):g[1]===void 0?p=-2:(p=l.lastIndex-g[2].length,h=g[1],l=g[3]===void 0?S:g[3]==='"'?Te:De):l===Te||l===De?l=S:l===Pe||l===qe?l=O:(l=S,i=void 0);let y=l===S&&r[c+1].startsWith("/>")?" ":"";a+=l===O?d+st:p>=0?(s.push(h),d.slice(0,p)+He+d.slice(p)+w+y):d+w+(p===-2?c:y)}return[Oe(r,a+(r[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},z=class r{constructor({strings:e,_$litType$:t},s){let i;this.parts=[];let a=0,l=0,c=e.length-1,d=this.parts,[h,g]=rt(e,t);if(this.el=r.createElement(h,s),A.currentNode=this.el.content,t===2||t===3){let p=this.el.content.firstChild;p.replaceWith(...p.childNodes)}for(;(i=A.nextNode())!==null&&d.length<c;){if(i.nodeType===1){if(i.hasAttributes())for(let p of i.getAttributeNames())if(p.endsWith(He)){let b=g[l++],y=i.getAttribute(p).split(w),K=/([.?@])?(.*)/.exec(b);d.push({type:1,index:a,name:K[2],strings:y,ctor:K[1]==="."?pe:K[1]==="?"?he:K[1]==="@"?me:D}),i.removeAttribute(p)}else p.startsWith(w)&&(d.push({type:6,index:a}),i.removeAttribute(p));if(Ue.test(i.tagName)){let p=i.textContent.split(w),b=p.length-1;if(b>0){i.textContent=J?J.emptyScript:"";for(let y=0;y<b;y++)i.append(p[y],L()),A.nextNode(),d.push({type:2,index:++a});i.append(p[b],L())}}}else if(i.nodeType===8)if(i.data===Ne)d.push({type:2,index:a});else{let p=-1;for(;(p=i.data.indexOf(w,p+1))!==-1;)d.push({type:7,index:a}),p+=w.length-1}a++}}static createElement(e,t){let s=E.createElement("template");return s.innerHTML=e,s}};function q(r,e,t=r,s){if(e===C)return e;let i=s!==void 0?t._$Co?.[s]:t._$Cl,a=F(e)?void 0:e._$litDirective$;return i?.constructor!==a&&(i?._$AO?.(!1),a===void 0?i=void 0:(i=new a(r),i._$AT(r,t,s)),s!==void 0?(t._$Co??=[])[s]=i:t._$Cl=i),i!==void 0&&(e=q(r,i._$AS(r,e.values),i,s)),e}var ue=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,i=(e?.creationScope??E).importNode(t,!0);A.currentNode=i;let a=A.nextNode(),l=0,c=0,d=s[0];for(;d!==void 0;){if(l===d.index){let h;d.type===2?h=new I(a,a.nextSibling,this,e):d.type===1?h=new d.ctor(a,d.name,d.strings,this,e):d.type===6&&(h=new ge(a,this,e)),this._$AV.push(h),d=s[++c]}l!==d?.index&&(a=A.nextNode(),l++)}return A.currentNode=E,i}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},I=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,i){this.type=2,this._$AH=n,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=q(this,e,t),F(e)?e===n||e==null||e===""?(this._$AH!==n&&this._$AR(),this._$AH=n):e!==this._$AH&&e!==C&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):it(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==n&&F(this._$AH)?this._$AA.nextSibling.data=e:this.T(E.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,i=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=z.createElement(Oe(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===i)this._$AH.p(t);else{let a=new ue(i,this),l=a.u(this.options);a.p(t),this.T(l),this._$AH=a}}_$AC(e){let t=Me.get(e.strings);return t===void 0&&Me.set(e.strings,t=new z(e)),t}k(e){fe(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,i=0;for(let a of e)i===t.length?t.push(s=new r(this.O(L()),this.O(L()),this,this.options)):s=t[i],s._$AI(a),i++;i<t.length&&(this._$AR(s&&s._$AB.nextSibling,i),t.length=i)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=Ce(e).nextSibling;Ce(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},D=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,i,a){this.type=1,this._$AH=n,this._$AN=void 0,this.element=e,this.name=t,this._$AM=i,this.options=a,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=n}_$AI(e,t=this,s,i){let a=this.strings,l=!1;if(a===void 0)e=q(this,e,t,0),l=!F(e)||e!==this._$AH&&e!==C,l&&(this._$AH=e);else{let c=e,d,h;for(e=a[0],d=0;d<a.length-1;d++)h=q(this,c[s+d],t,d),h===C&&(h=this._$AH[d]),l||=!F(h)||h!==this._$AH[d],h===n?e=n:e!==n&&(e+=(h??"")+a[d+1]),this._$AH[d]=h}l&&!i&&this.j(e)}j(e){e===n?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},pe=class extends D{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===n?void 0:e}},he=class extends D{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==n)}},me=class extends D{constructor(e,t,s,i,a){super(e,t,s,i,a),this.type=5}_$AI(e,t=this){if((e=q(this,e,t,0)??n)===C)return;let s=this._$AH,i=e===n&&s!==n||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,a=e!==n&&(s===n||i);i&&this.element.removeEventListener(this.name,this,s),a&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},ge=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){q(this,e)}};var ot=$e.litHtmlPolyfillSupport;ot?.(z,I),($e.litHtmlVersions??=[]).push("3.3.3");var Le=(r,e,t)=>{let s=t?.renderBefore??e,i=s._$litPart$;if(i===void 0){let a=t?.renderBefore??null;s._$litPart$=i=new I(e.insertBefore(L(),a),a,void 0,t??{})}return i._$AI(r),i};var be=globalThis,$=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Le(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return C}};$._$litElement$=!0,$.finalized=!0,be.litElementHydrateSupport?.({LitElement:$});var at=be.litElementPolyfillSupport;at?.({LitElement:$});(be.litElementVersions??=[]).push("4.2.2");function R(r){return r?.locale?.language??r?.language??"en"}function j(r){return r&&typeof r=="object"&&"message"in r?String(r.message):String(r)}function m(r,e){customElements.get(r)||customElements.define(r,e)}var Fe={menu:"Menu",tab_calendar:"Calendar",tab_follows:"Series",tab_downloads:"Downloads",tab_requests:"Requests",tab_library:"Library",tab_reports:"Reports",tab_chat:"Chat",loading:"Loading\u2026",previous:"Previous",next:"Next",today:"Today",week:"Week",month:"Month",close:"Close",no_episodes:"No episode airs in this period.",status_pending:"Pending",status_searching:"Searching",status_grabbed:"Grabbed",status_downloading:"Downloading",status_in_plex:"In Plex",status_failed:"Failed",decision:"Decision",decided_by_model:"Chosen with {model}'s advice",decided_by_engine:"Chosen by the rules",model_reason:"The model's reason:",no_decision:"No release chosen yet.",release:"Release",score:"Score",why:"Why",retry:"Search again",follow_add:"Follow a series",series_title:"Series title",search:"Search",nothing_found:"Nothing found.",anime:"Anime",already_followed:"Already followed",follow:"Follow",no_follows:"No series followed yet.",paused:"Paused",next_episode:"Next: {code}, {when}",no_next_episode:"No episode announced.",edit:"Edit",pause:"Pause",resume:"Resume",unfollow:"Unfollow",unfollow_confirm:"Really unfollow?",quality:"Quality",language:"Language",dub:"Dub",dub_either:"Either",aliases:"Add aliases (comma-separated)",save:"Save",downloads_active:"Downloading",no_downloads:"Nothing is downloading.",purpose_episode:"Episode",purpose_request:"Request",purpose_upgrade:"Upgrade",eta:"{time} left",failures:"Failures",no_failures:"No failure.",no_release_found:"No release found within 48 h",failed:"Failed",request_new:"Request a movie or a series",limit_left:"{left} of {limit} requests left today",limit_none:"As an administrator, you have no daily limit.",kind:"Kind",kind_movie:"Movie",kind_series:"Series (seasons)",title:"Title",seasons:"Seasons",seasons_invalid:"Seasons: numbers such as 1, 2 or 1-3.",already_known:"Already in Plex or requested",request:"Request",requested:"{title} is requested.",requests_all:"All requests",requests_mine:"My requests",no_requests:"No request yet.",request_pending:"Waiting",request_searching:"Searching",request_downloading:"Downloading",request_completed:"In Plex",request_expired:"Not found",library_items:"{count} items",library_shown:"{shown} of {matching} shown, the lowest scores first",facet_audio_class:"Audio",facet_resolution:"Resolution",facet_video_codec:"Codec",size:"Size",upgrades:"Upgrades found",no_upgrades:"No upgrade waiting.",apply:"Apply",dismiss:"Dismiss",history:"Upgrade history",no_history:"No upgrade yet.",undo:"Undo",outcome_applied:"Applied",outcome_refused:"Refused",outcome_swapping:"Swapping",outcome_interrupted:"Interrupted",outcome_restored:"Undone",rules:"Upgrade rules",rule:"Rule",rule_source:"From",rule_target:"To",rule_add:"Add the rule",rule_remove:"Remove",rule_remove_confirm:"Really remove?",min_gain:"Minimum gain",auto_apply:"Automatic",enabled:"Enabled",report:"Report",analyse_now:"Analyse now",no_reports:"No report yet.",trend:"Score over time",issues:"Issues",no_issues:"No issue found.",severity_critical:"Critical",severity_important:"Important",severity_minor:"Minor",recommendations:"Recommendations",no_recommendations:"No recommendation.",rec_pending:"To decide",rec_approved:"Approved",rec_applied:"Applied",rec_dismissed:"Dismissed",chat_hint:"Ask about the library, or type / for the commands (/aide).",chat_placeholder:"Your message",send:"Send",reading:"Reading {tool}\u2026",confirm:"Confirm",cancel:"Cancel",proposal_pending:"Waiting",proposal_done:"Done",proposal_failed:"Failed",proposal_cancelled:"Cancelled",proposal_expired:"Expired",card_upcoming:"Coming this week",card_downloads:"Downloads"},nt={menu:"Menu",tab_calendar:"Calendrier",tab_follows:"S\xE9ries",tab_downloads:"T\xE9l\xE9chargements",tab_requests:"Demandes",tab_library:"Biblioth\xE8que",tab_reports:"Rapports",tab_chat:"Discussion",loading:"Chargement\u2026",previous:"Pr\xE9c\xE9dent",next:"Suivant",today:"Aujourd'hui",week:"Semaine",month:"Mois",close:"Fermer",no_episodes:"Aucun \xE9pisode ne sort sur cette p\xE9riode.",status_pending:"En attente",status_searching:"Recherche",status_grabbed:"Trouv\xE9",status_downloading:"T\xE9l\xE9chargement",status_in_plex:"Dans Plex",status_failed:"\xC9chec",decision:"D\xE9cision",decided_by_model:"Choisi sur l'avis de {model}",decided_by_engine:"Choisi par les r\xE8gles",model_reason:"La raison du mod\xE8le :",no_decision:"Aucune release choisie pour l'instant.",release:"Release",score:"Score",why:"Pourquoi",retry:"Rechercher \xE0 nouveau",follow_add:"Suivre une s\xE9rie",series_title:"Titre de la s\xE9rie",search:"Rechercher",nothing_found:"Rien trouv\xE9.",anime:"Anim\xE9",already_followed:"D\xE9j\xE0 suivie",follow:"Suivre",no_follows:"Aucune s\xE9rie suivie pour l'instant.",paused:"En pause",next_episode:"Prochain : {code}, {when}",no_next_episode:"Aucun \xE9pisode annonc\xE9.",edit:"Modifier",pause:"Mettre en pause",resume:"Reprendre",unfollow:"Ne plus suivre",unfollow_confirm:"Vraiment ne plus suivre ?",quality:"Qualit\xE9",language:"Langue",dub:"Doublage",dub_either:"Peu importe",aliases:"Ajouter des alias (s\xE9par\xE9s par des virgules)",save:"Enregistrer",downloads_active:"En cours",no_downloads:"Aucun t\xE9l\xE9chargement en cours.",purpose_episode:"\xC9pisode",purpose_request:"Demande",purpose_upgrade:"Am\xE9lioration",eta:"encore {time}",failures:"\xC9checs",no_failures:"Aucun \xE9chec.",no_release_found:"Aucune release trouv\xE9e en 48 h",failed:"\xC9chec",request_new:"Demander un film ou une s\xE9rie",limit_left:"Encore {left} demandes sur {limit} aujourd'hui",limit_none:"En tant qu'administrateur, vous n'avez pas de limite quotidienne.",kind:"Type",kind_movie:"Film",kind_series:"S\xE9rie (saisons)",title:"Titre",seasons:"Saisons",seasons_invalid:"Saisons : des num\xE9ros comme 1, 2 ou 1-3.",already_known:"D\xE9j\xE0 dans Plex ou demand\xE9",request:"Demander",requested:"{title} est demand\xE9.",requests_all:"Toutes les demandes",requests_mine:"Mes demandes",no_requests:"Aucune demande pour l'instant.",request_pending:"En attente",request_searching:"Recherche",request_downloading:"T\xE9l\xE9chargement",request_completed:"Dans Plex",request_expired:"Introuvable",library_items:"{count} \xE9l\xE9ments",library_shown:"{shown} sur {matching} affich\xE9s, les moins bons scores d'abord",facet_audio_class:"Audio",facet_resolution:"R\xE9solution",facet_video_codec:"Codec",size:"Taille",upgrades:"Am\xE9liorations trouv\xE9es",no_upgrades:"Aucune am\xE9lioration en attente.",apply:"Appliquer",dismiss:"\xC9carter",history:"Historique des am\xE9liorations",no_history:"Aucune am\xE9lioration pour l'instant.",undo:"Annuler",outcome_applied:"Appliqu\xE9e",outcome_refused:"Refus\xE9e",outcome_swapping:"Remplacement",outcome_interrupted:"Interrompue",outcome_restored:"Annul\xE9e",rules:"R\xE8gles d'am\xE9lioration",rule:"R\xE8gle",rule_source:"De",rule_target:"Vers",rule_add:"Ajouter la r\xE8gle",rule_remove:"Supprimer",rule_remove_confirm:"Vraiment supprimer ?",min_gain:"Gain minimum",auto_apply:"Automatique",enabled:"Active",report:"Rapport",analyse_now:"Analyser maintenant",no_reports:"Aucun rapport pour l'instant.",trend:"Score dans le temps",issues:"Probl\xE8mes",no_issues:"Aucun probl\xE8me trouv\xE9.",severity_critical:"Critique",severity_important:"Important",severity_minor:"Mineur",recommendations:"Recommandations",no_recommendations:"Aucune recommandation.",rec_pending:"\xC0 d\xE9cider",rec_approved:"Approuv\xE9e",rec_applied:"Appliqu\xE9e",rec_dismissed:"\xC9cart\xE9e",chat_hint:"Posez une question sur la biblioth\xE8que, ou tapez / pour les commandes (/aide).",chat_placeholder:"Votre message",send:"Envoyer",reading:"Lecture de {tool}\u2026",confirm:"Confirmer",cancel:"Annuler",proposal_pending:"En attente",proposal_done:"Fait",proposal_failed:"\xC9chec",proposal_cancelled:"Annul\xE9e",proposal_expired:"Expir\xE9e",card_upcoming:"Cette semaine",card_downloads:"T\xE9l\xE9chargements"},lt={en:Fe,fr:nt};function T(r,e,t={}){return(lt[r.split("-")[0]]??Fe)[e].replace(/\{(\w+)\}/g,(i,a)=>a in t?String(t[a]):i)}var M=f`
  :host {
    display: block;
    color: var(--primary-text-color);
    font-family: var(--paper-font-body1_-_font-family, Roboto, sans-serif);
  }
  .card {
    background: var(--card-background-color, var(--ha-card-background, #fff));
    border-radius: var(--ha-card-border-radius, 12px);
    border: 1px solid var(--divider-color, #e0e0e0);
    padding: 16px;
    margin-bottom: 16px;
  }
  h2 {
    font-size: 1.15em;
    font-weight: 500;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 1em;
    font-weight: 500;
    margin: 12px 0 8px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 8px;
    border: 1px solid var(--primary-color, #03a9f4);
    background: var(--primary-color, #03a9f4);
    color: var(--text-primary-color, #fff);
    padding: 6px 12px;
    min-height: 32px;
  }
  button.flat {
    background: transparent;
    color: var(--primary-color, #03a9f4);
  }
  button.danger {
    background: var(--error-color, #db4437);
    border-color: var(--error-color, #db4437);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  input,
  select {
    font: inherit;
    color: var(--primary-text-color);
    background: var(--input-fill-color, var(--secondary-background-color, #f5f5f5));
    border: 1px solid var(--divider-color, #ccc);
    border-radius: 8px;
    padding: 6px 8px;
    min-height: 32px;
    box-sizing: border-box;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
  .grow {
    flex: 1;
    min-width: 0;
  }
  .muted {
    color: var(--secondary-text-color);
    font-size: 0.9em;
  }
  .error {
    color: var(--error-color, #db4437);
    margin: 8px 0;
  }
  .badge {
    display: inline-block;
    border-radius: 10px;
    padding: 1px 8px;
    font-size: 0.8em;
    background: var(--secondary-background-color, #eee);
    color: var(--primary-text-color);
    white-space: nowrap;
  }
  .status-pending { background: var(--secondary-background-color, #eee); }
  .status-searching { background: var(--info-color, #039be5); color: #fff; }
  .status-grabbed { background: var(--accent-color, #ff9800); color: #fff; }
  .status-downloading { background: var(--warning-color, #ffa600); color: #000; }
  .status-in_plex { background: var(--success-color, #43a047); color: #fff; }
  .status-failed,
  .severity-critical { background: var(--error-color, #db4437); color: #fff; }
  .severity-important { background: var(--warning-color, #ffa600); color: #000; }
  ul.list {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  ul.list > li {
    padding: 8px 0;
    border-bottom: 1px solid var(--divider-color, #eee);
  }
  ul.list > li:last-child {
    border-bottom: none;
  }
  .bar {
    height: 8px;
    border-radius: 4px;
    background: var(--secondary-background-color, #eee);
    overflow: hidden;
  }
  .bar > div {
    height: 100%;
    background: var(--primary-color, #03a9f4);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9em;
  }
  th,
  td {
    text-align: left;
    padding: 4px 6px;
    border-bottom: 1px solid var(--divider-color, #eee);
    vertical-align: top;
  }
  .name {
    overflow-wrap: anywhere;
  }
`;function v(r){return r.season!==null&&r.episode!==null?`S${String(r.season).padStart(2,"0")}E${String(r.episode).padStart(2,"0")}`:r.absolute!==null?String(r.absolute):"?"}function P(r){return r.status==="completed"?"in_plex":r.status==="downloading"?r.progress?"downloading":"grabbed":r.status}function Z(r){return new Date(r.getFullYear(),r.getMonth(),r.getDate())}function _e(r,e){return new Date(r.getFullYear(),r.getMonth(),r.getDate()+e)}function ye(r,e){let t=e==="week"?Z(r):new Date(r.getFullYear(),r.getMonth(),1),s=_e(t,-((t.getDay()+6)%7)),i=7;if(e==="month"){let a=new Date(r.getFullYear(),r.getMonth()+1,0);i=Math.ceil((Math.round((Z(a).getTime()-s.getTime())/864e5)+1)/7)*7}return Array.from({length:i},(a,l)=>_e(s,l))}function ze(r,e,t){return e==="week"?_e(r,7*t):new Date(r.getFullYear(),r.getMonth()+t,1)}function H(r){let e=t=>String(t).padStart(2,"0");return`${r.getFullYear()}-${e(r.getMonth()+1)}-${e(r.getDate())}`}function Ie(r){let e=new Map,t=[...r].sort((s,i)=>(s.air_time??"").localeCompare(i.air_time??""));for(let s of t){if(!s.air_time)continue;let i=H(new Date(s.air_time));e.set(i,[...e.get(i)??[],s])}return e}function x(r){let e=["B","kB","MB","GB","TB"],t=r,s=0;for(;t>=1e3&&s<e.length-1;)t/=1e3,s+=1;return`${t>=10||s===0?Math.round(t):t.toFixed(1)} ${e[s]}`}function X(r){if(r<60)return`${Math.round(r)} s`;let e=Math.round(r/60);return e<60?`${e} min`:`${Math.floor(e/60)} h ${String(e%60).padStart(2,"0")} min`}var dt=[{name:"/aide",aliases:["/help"],args:""},{name:"/analyse",aliases:["/analyze"],args:"[full|quality|upgrades|collections|missing]"},{name:"/rapport",aliases:["/report"],args:""},{name:"/cherche",aliases:["/search"],args:"<titre>"},{name:"/upgrade",aliases:[],args:"[titre]"},{name:"/suivre",aliases:["/follow"],args:"<s\xE9rie>"},{name:"/demande",aliases:["/request"],args:"<film>"}];function je(r,e){if(!r.startsWith("/")||/\s/.test(r))return[];let t=r.toLowerCase();return dt.map(i=>e.startsWith("fr")||i.aliases.length===0?i.name:i.aliases[0]).filter(i=>i.startsWith(t)&&i!==t)}function Be(r){let e=new Set;for(let t of r.split(/[,;\s]+/).filter(Boolean)){let s=/^(\d{1,3})(?:-(\d{1,3}))?$/.exec(t);if(!s)return null;let[i,a]=[Number(s[1]),Number(s[2]??s[1])];if(i<0||a<i||a-i>100)return null;for(let l=i;l<=a;l+=1)e.add(l)}return e.size?[...e].sort((t,s)=>t-s):null}function We(r){return Object.entries(r).sort((e,t)=>t[1]-e[1]||e[0].localeCompare(t[0]))}var u=class extends ${constructor(){super();this.generation=0;this.revision=0,this.error="",this.busy=!1}get admin(){return!!this.hass?.user?.is_admin}get language(){return R(this.hass)}t(t,s={}){return T(this.language,t,s)}fresh(){let t=++this.generation;return()=>t===this.generation}updated(t){(t.has("revision")||t.has("hass")&&t.get("hass")===void 0)&&this.load().catch(s=>this.error=j(s))}async ws(t){this.busy=!0;try{let s=await this.hass.callWS(t);return this.error="",s}catch(s){this.error=j(s);return}finally{this.busy=!1}}action(t,s){return this.ws({type:"call_service",domain:"plex_kiosk",service:t,service_data:s,return_response:!0}).then(i=>i?.response)}when(t,s={}){return t?new Intl.DateTimeFormat(this.language,{dateStyle:"medium",timeStyle:"short",...s}).format(new Date(t)):""}};u.styles=[M],u.properties={hass:{attribute:!1},narrow:{type:Boolean},revision:{type:Number},error:{state:!0},busy:{state:!0}};var B=class extends u{constructor(){super(),this.mode="week",this.anchor=new Date,this.episodes=[],this.open=null,this.decision=null}async load(){let e=this.fresh(),t=ye(this.anchor,this.mode),s=new Date(t[t.length-1].getFullYear(),t[t.length-1].getMonth(),t[t.length-1].getDate()+1),i=await this.ws({type:"plex_kiosk/calendar",start:t[0].toISOString(),end:s.toISOString()});i&&e()&&(this.episodes=i.episodes)}move(e){this.anchor=e===0?new Date:ze(this.anchor,this.mode,e),this.load()}setMode(e){this.mode=e,this.load()}async show(e){if(this.open=e,this.decision=null,e.decision_id){let t=await this.ws({type:"plex_kiosk/decision",decision_id:e.decision_id,language:this.language});this.decision=t?.decision??null}}async retry(e){await this.ws({type:"plex_kiosk/episode/retry",episode_id:e.id})&&(this.open=null,this.load())}render(){let e=ye(this.anchor,this.mode),t=Ie(this.episodes),s=new Intl.DateTimeFormat(this.language,{month:"long",year:"numeric"}).format(this.mode==="week"?e[3]:this.anchor),i=H(Z(new Date)),a=this.anchor.getMonth(),l=this.narrow?e.filter(c=>t.has(H(c))||H(c)===i):e;return o`
      <div class="card">
        <div class="row">
          <button class="flat" @click=${()=>this.move(-1)} aria-label=${this.t("previous")}>‹</button>
          <button class="flat" @click=${()=>this.move(0)}>${this.t("today")}</button>
          <button class="flat" @click=${()=>this.move(1)} aria-label=${this.t("next")}>›</button>
          <h2 class="grow" style="margin:0;min-width:160px">${s}</h2>
          <button class=${this.mode==="week"?"":"flat"} @click=${()=>this.setMode("week")}>${this.t("week")}</button>
          <button class=${this.mode==="month"?"":"flat"} @click=${()=>this.setMode("month")}>${this.t("month")}</button>
        </div>
        ${this.error?o`<div class="error">${this.error}</div>`:n}
        <div class=${this.narrow?"list":"grid"} style="margin-top:12px">
          ${l.map(c=>{let d=H(c),h=this.mode==="month"&&c.getMonth()!==a;return o`<div class="day ${h?"other":""} ${d===i?"today":""}" data-day=${d}>
              <div class="day-head">
                ${new Intl.DateTimeFormat(this.language,{weekday:"short",day:"numeric",month:"short"}).format(c)}
              </div>
              ${(t.get(d)??[]).map(g=>this.renderEpisode(g))}
            </div>`})}
          ${this.narrow&&this.episodes.length===0?o`<p class="muted">${this.t("no_episodes")}</p>`:n}
        </div>
      </div>
      ${this.open?this.renderDialog(this.open):n}
    `}renderEpisode(e){let t=P(e),s=e.air_time?this.when(e.air_time,{dateStyle:void 0,timeStyle:"short"}):"";return o`<button class="episode status-${t}" @click=${()=>this.show(e)}>
      <div><b>${e.series}</b> ${v(e)}</div>
      <div class="row">
        <span class="muted">${s}</span>
        <span class="badge status-${t}">${this.t(`status_${t}`)}${t==="downloading"&&e.progress?` ${Math.round(e.progress*100)} %`:""}</span>
      </div>
    </button>`}renderDialog(e){let t=this.decision;return o`<div class="dialog" @click=${s=>s.target===s.currentTarget&&(this.open=null)}>
      <div class="card" role="dialog" aria-label=${`${e.series} ${v(e)}`}>
        <div class="row">
          <h2 class="grow">${e.series} ${v(e)}${e.title?` \xB7 ${e.title}`:""}</h2>
          <button class="flat" @click=${()=>this.open=null}>${this.t("close")}</button>
        </div>
        <p>
          <span class="badge status-${P(e)}">${this.t(`status_${P(e)}`)}</span>
          <span class="muted">${this.when(e.air_time)}</span>
        </p>
        ${e.release_name?o`<p class="name">${e.release_name}</p>`:n}
        ${this.admin&&e.status==="failed"?o`<button @click=${()=>this.retry(e)} ?disabled=${this.busy}>${this.t("retry")}</button>`:n}
        ${this.error?o`<div class="error">${this.error}</div>`:n}
        ${t?o`<h3>${this.t("decision")}</h3>
              <p>
                ${t.decided_by==="model"?this.t("decided_by_model",{model:t.model??""}):this.t("decided_by_engine")}
              </p>
              ${t.advice?o`<p class="model-reason"><b>${this.t("model_reason")}</b> ${t.advice}</p>`:n}
              ${t.explanation?o`<p class="muted">${t.explanation}</p>`:n}
              <table>
                <thead><tr><th>${this.t("release")}</th><th>${this.t("score")}</th><th>${this.t("why")}</th></tr></thead>
                <tbody>
                  ${t.candidates.map(s=>o`<tr class=${s.name===t.chosen?"chosen":""}>
                      <td class="name">${s.name===t.chosen?"\u2605 ":""}${s.name}</td>
                      <td>${s.score}</td>
                      <td>${s.reason??s.rejected??""}</td>
                    </tr>`)}
                </tbody>
              </table>`:o`<p class="muted">${e.decision_id?this.t("loading"):this.t("no_decision")}</p>`}
      </div>
    </div>`}};B.properties={...u.properties,mode:{state:!0},anchor:{state:!0},episodes:{state:!0},open:{state:!0},decision:{state:!0}},B.styles=[...u.styles,f`
      .grid {
        display: grid;
        grid-template-columns: repeat(7, minmax(0, 1fr));
        gap: 4px;
      }
      .day {
        min-height: 96px;
        border: 1px solid var(--divider-color, #eee);
        border-radius: 8px;
        padding: 4px;
      }
      .day.other {
        opacity: 0.55;
      }
      .day.today {
        border-color: var(--primary-color, #03a9f4);
      }
      .day-head {
        font-size: 0.8em;
        color: var(--secondary-text-color);
        margin-bottom: 4px;
      }
      .episode {
        display: block;
        width: 100%;
        text-align: left;
        background: var(--secondary-background-color, #f5f5f5);
        color: var(--primary-text-color);
        border: none;
        border-left: 4px solid var(--divider-color);
        border-radius: 4px;
        padding: 4px;
        margin-bottom: 4px;
        font-size: 0.85em;
      }
      .episode.status-in_plex { border-left-color: var(--success-color, #43a047); }
      .episode.status-failed { border-left-color: var(--error-color, #db4437); }
      .episode.status-downloading,
      .episode.status-grabbed { border-left-color: var(--warning-color, #ffa600); }
      .episode.status-searching { border-left-color: var(--info-color, #039be5); }
      .list .day {
        min-height: 0;
        margin-bottom: 6px;
      }
      .dialog {
        position: fixed;
        inset: 0;
        background: rgba(0, 0, 0, 0.5);
        display: flex;
        align-items: center;
        justify-content: center;
        z-index: 10;
      }
      .dialog > .card {
        max-width: 720px;
        width: calc(100% - 32px);
        max-height: 85vh;
        overflow: auto;
      }
      tr.chosen td {
        font-weight: 500;
        color: var(--success-color, #43a047);
      }
    `];m("plex-kiosk-calendar",B);var W=class extends u{constructor(){super(),this.messages=[],this.draft="",this.talking=!1}async load(){if(this.conversation||this.messages.length)return;let t=(await this.ws({type:"plex_kiosk/chat/history"}))?.conversations[0];!t||this.messages.length||(this.conversation=t.id,this.messages=t.turns.map(s=>({role:s.role,text:s.text,proposals:[]})))}async send(e){e?.preventDefault();let t=this.draft.trim();if(!t||this.talking)return;this.draft="",this.talking=!0;let s={role:"assistant",text:"",proposals:[]};this.messages=[...this.messages,{role:"user",text:t,proposals:[]},s];let i=c=>{Object.assign(s,c),this.messages=[...this.messages]},a;await new Promise(c=>{this.hass.connection.subscribeMessage(d=>{d.type==="delta"?i({text:s.text+d.text,reading:void 0}):d.type==="tool"?i({reading:d.name}):d.type==="proposal"?i({proposals:[...s.proposals,d.proposal]}):(d.type==="done"?(this.conversation=d.conversation_id,i({text:d.answer,reading:void 0})):i({role:"error",text:d.message}),c())},{type:"plex_kiosk/chat/send",message:t,language:this.language,...this.conversation?{conversation_id:this.conversation}:{}}).then(d=>a=d).catch(d=>{i({role:"error",text:d.message??String(d)}),c()})}),await a?.().catch(()=>{}),this.talking=!1}async answer(e,t){let s=await this.ws({type:`plex_kiosk/chat/${t}`,proposal_id:e.id});s&&(e.status=s.proposal.status,this.messages=[...this.messages])}render(){let e=je(this.draft,this.language);return o`<div class="card">
      <div class="messages" aria-live="polite">
        ${this.messages.length===0?o`<p class="muted">${this.t("chat_hint")}</p>`:n}
        ${this.messages.map(t=>o`<div class="message ${t.role==="error"?"error-message":t.role}">
            <div class="text">${t.text||(t.role==="assistant"?"\u2026":"")}</div>
            ${t.reading?o`<div class="muted">${this.t("reading",{tool:t.reading})}</div>`:n}
            ${t.proposals.map(s=>o`<div class="proposal">
                <div>${s.summary}</div>
                ${s.status==="pending"?o`<div class="row" style="margin-top:6px">
                      <button @click=${()=>this.answer(s,"confirm")}>${this.t("confirm")}</button>
                      <button class="flat" @click=${()=>this.answer(s,"cancel")}>${this.t("cancel")}</button>
                    </div>`:o`<span class="badge">${this.t(`proposal_${s.status}`)}</span>`}
              </div>`)}
          </div>`)}
      </div>
      ${this.error?o`<div class="error">${this.error}</div>`:n}
      <form class="row" style="margin-top:12px" @submit=${this.send}>
        <input class="grow" name="message" autocomplete="off" .value=${this.draft} placeholder=${this.t("chat_placeholder")}
          aria-label=${this.t("chat_placeholder")} @input=${t=>this.draft=t.target.value} />
        <button type="submit" ?disabled=${this.talking||!this.draft.trim()}>${this.t("send")}</button>
      </form>
      ${e.length?o`<div class="completions">
            ${e.map(t=>o`<button class="flat" type="button" @click=${()=>this.draft=`${t} `}>${t}</button>`)}
          </div>`:n}
    </div>`}};W.properties={...u.properties,messages:{state:!0},draft:{state:!0},talking:{state:!0}},W.styles=[...u.styles,f`
      .messages {
        display: flex;
        flex-direction: column;
        gap: 8px;
        min-height: 200px;
      }
      .message {
        max-width: 85%;
        padding: 8px 12px;
        border-radius: 12px;
        overflow-wrap: anywhere;
      }
      .text {
        white-space: pre-wrap;
      }
      .user {
        align-self: flex-end;
        background: var(--primary-color, #03a9f4);
        color: var(--text-primary-color, #fff);
      }
      .assistant {
        align-self: flex-start;
        background: var(--secondary-background-color, #f0f0f0);
      }
      .error-message {
        align-self: flex-start;
        color: var(--error-color, #db4437);
      }
      .proposal {
        margin-top: 8px;
        padding: 8px;
        border: 1px solid var(--divider-color);
        border-radius: 8px;
        white-space: normal;
      }
      .completions button {
        margin: 4px 4px 0 0;
      }
    `];m("plex-kiosk-chat",W);var ee=class extends u{async load(){let e=this.fresh(),t=await this.ws({type:"plex_kiosk/downloads"});t&&e()&&(this.downloads=t)}updated(e){super.updated(e),e.has("live")&&this.live&&(this.downloads=this.live)}async retry(e){await this.ws({type:"plex_kiosk/episode/retry",episode_id:e.id})&&this.load()}render(){let e=this.downloads;return e?o`
      ${this.error?o`<div class="error">${this.error}</div>`:n}
      <div class="card">
        <h2>${this.t("downloads_active")} (${e.active.length})</h2>
        ${e.active.length===0?o`<p class="muted">${this.t("no_downloads")}</p>`:n}
        <ul class="list active">
          ${e.active.map(t=>o`<li data-infohash=${t.infohash}>
              <div class="name">${t.name}</div>
              <div class="row">
                <div class="bar grow" role="progressbar" aria-valuenow=${Math.round(t.progress*100)}>
                  <div style="width:${(t.progress*100).toFixed(1)}%"></div>
                </div>
                <span class="progress">${(t.progress*100).toFixed(1)} %</span>
              </div>
              <div class="muted">
                ${this.t(`purpose_${t.purpose}`)} · ${t.state}
                ${t.speed?o` · ${x(t.speed)}/s`:n}
                ${t.eta?o` · ${this.t("eta",{time:X(t.eta)})}`:n}
                ${t.size?o` · ${x(t.size)}`:n}
              </div>
            </li>`)}
        </ul>
      </div>
      <div class="card">
        <h2>${this.t("failures")}</h2>
        ${e.failed.length+e.failed_episodes.length===0?o`<p class="muted">${this.t("no_failures")}</p>`:n}
        <ul class="list failed">
          ${e.failed_episodes.map(t=>o`<li class="row">
              <span class="grow"><b>${t.series} ${v(t)}</b>
                <div class="muted">${this.t("no_release_found")} · ${this.when(t.failed_at)}</div></span>
              ${this.admin?o`<button @click=${()=>this.retry(t)} ?disabled=${this.busy}>${this.t("retry")}</button>`:n}
            </li>`)}
          ${e.failed.map(t=>o`<li>
              <div class="name">${t.name}</div>
              <div class="muted">${t.error??this.t("failed")} · ${this.when(t.added_at)}</div>
            </li>`)}
        </ul>
      </div>
    `:o`<div class="card muted">${this.error||this.t("loading")}</div>`}};ee.properties={...u.properties,live:{attribute:!1},downloads:{state:!0}};m("plex-kiosk-downloads",ee);var ct=["720p","1080p","2160p"],ut=["MULTI","VF","VOSTFR"],pt=["VFF","VFQ","either"],ht=["tvmaze","anilist","tmdb","tvdb"],te=class extends u{constructor(){super(),this.follows=[],this.hits=null,this.editing=null,this.removing=null}async load(){let e=this.fresh(),t=await this.ws({type:"plex_kiosk/follows"});t&&e()&&(this.follows=[...t.follows].sort((s,i)=>s.title.localeCompare(i.title)))}async lookup(e){e.preventDefault();let t=this.renderRoot.querySelector("#query").value.trim();if(!t)return;let s=await this.ws({type:"plex_kiosk/lookup",kind:"series",query:t});this.hits=s?.results??null}async add(e){let t=ht.find(i=>e.ids[i]);if(!t)return;await this.ws({type:"plex_kiosk/follow/add",data:{[`${t}_id`]:Number(e.ids[t])}})&&(this.hits=null,this.load())}async change(e,t){await this.ws({type:"plex_kiosk/follow/update",data:{follow_id:e.id,...t}})&&(this.editing=null,this.load())}save(e){let t=this.renderRoot,s=a=>t.querySelector(`[name=${a}]`).value,i=s("aliases").split(",").map(a=>a.trim()).filter(Boolean);this.change(e,{quality:s("quality"),language:s("language"),dub:s("dub"),...i.length?{aliases:i}:{}})}async unfollow(e){if(this.removing!==e.id){this.removing=e.id;return}this.removing=null,await this.ws({type:"plex_kiosk/follow/remove",follow_id:e.id})&&this.load()}render(){return o`
      ${this.admin?o`<div class="card">
            <h2>${this.t("follow_add")}</h2>
            <form class="row" @submit=${this.lookup}>
              <input id="query" class="grow" placeholder=${this.t("series_title")} aria-label=${this.t("series_title")} />
              <button type="submit" ?disabled=${this.busy}>${this.t("search")}</button>
            </form>
            ${this.hits?o`<ul class="list hits">
                  ${this.hits.length===0?o`<li class="muted">${this.t("nothing_found")}</li>`:n}
                  ${this.hits.map(e=>o`<li class="row">
                      <span class="grow">${e.title} ${e.year?o`<span class="muted">(${e.year})</span>`:n}
                        ${e.anime?o`<span class="badge">${this.t("anime")}</span>`:n}</span>
                      ${e.known?o`<span class="badge">${this.t("already_followed")}</span>`:o`<button @click=${()=>this.add(e)} ?disabled=${this.busy}>${this.t("follow")}</button>`}
                    </li>`)}
                </ul>`:n}
          </div>`:n}
      ${this.error?o`<div class="error">${this.error}</div>`:n}
      <div class="card">
        <h2>${this.t("tab_follows")} (${this.follows.length})</h2>
        ${this.follows.length===0?o`<p class="muted">${this.t("no_follows")}</p>`:n}
        <ul class="list follows">${this.follows.map(e=>this.renderFollow(e))}</ul>
      </div>
    `}renderFollow(e){let t=e.next_episode;return o`<li data-follow=${e.title}>
      <div class="row">
        <span class="grow"><b>${e.title}</b> ${e.year?o`<span class="muted">(${e.year})</span>`:n}
          ${e.anime?o`<span class="badge">${this.t("anime")}</span>`:n}
          ${e.paused?o`<span class="badge">${this.t("paused")}</span>`:n}</span>
        <span class="muted">${e.quality} · ${e.language} · ${e.dub==="either"?this.t("dub_either"):e.dub}</span>
      </div>
      <div class="muted">
        ${t?this.t("next_episode",{code:v(t),when:this.when(t.air_time)}):this.t("no_next_episode")}
      </div>
      ${this.admin?o`<div class="row" style="margin-top:6px">
            <button class="flat" @click=${()=>this.editing=this.editing===e.id?null:e.id}>${this.t("edit")}</button>
            <button class="flat" @click=${()=>this.change(e,{paused:!e.paused})}>${e.paused?this.t("resume"):this.t("pause")}</button>
            <button class=${this.removing===e.id?"danger":"flat"} @click=${()=>this.unfollow(e)}>
              ${this.removing===e.id?this.t("unfollow_confirm"):this.t("unfollow")}
            </button>
          </div>`:n}
      ${this.editing===e.id?this.renderEditor(e):n}
    </li>`}renderEditor(e){let t=(s,i,a)=>o`<label>${this.t(s)}
        <select name=${s}>
          ${i.map(l=>o`<option value=${l} ?selected=${l===a}>${l==="either"?this.t("dub_either"):l}</option>`)}
        </select></label>`;return o`<div class="row editor" style="margin-top:8px">
      ${t("quality",ct,e.quality)} ${t("language",ut,e.language)} ${t("dub",pt,e.dub)}
      <label class="grow">${this.t("aliases")} <input name="aliases" placeholder=${e.aliases.join(", ")} /></label>
      <button @click=${()=>this.save(e)} ?disabled=${this.busy}>${this.t("save")}</button>
    </div>`}};te.properties={...u.properties,follows:{state:!0},hits:{state:!0},editing:{state:!0},removing:{state:!0}};m("plex-kiosk-follows",te);var mt=["VO","VOSTFR","VF","720p","1080p","x264"],gt=["VOSTFR","VF","MULTI","1080p","2160p","HEVC"],se=class extends u{constructor(){super(),this.filter={},this.removing=null}async load(){let e=this.fresh(),[t,s]=await Promise.all([this.ws({type:"plex_kiosk/library",...this.filter}),this.ws({type:"plex_kiosk/upgrades"})]);e()&&(t&&(this.library=t),s&&(this.upgrades=s))}toggle(e,t){this.filter=this.filter[e]===t?{...this.filter,[e]:void 0}:{...this.filter,[e]:t},this.filter=Object.fromEntries(Object.entries(this.filter).filter(([,s])=>s!==void 0)),this.load()}async run(e,t){await this.ws({type:e,data:t})&&this.load()}render(){let e=this.library,t=this.upgrades;return o`
      ${this.error?o`<div class="error">${this.error}</div>`:n}
      ${t?this.renderCandidates(t.candidates):n}
      ${e?this.renderLibrary(e):o`<div class="card muted">${this.t("loading")}</div>`}
      ${t?this.renderHistory(t.history):n} ${t?this.renderRules(t.rules):n}
    `}renderLibrary(e){let t=(s,i)=>o`<div class="row facet" style="margin-bottom:6px">
        <span class="muted" style="min-width:90px">${this.t(`facet_${s}`)}</span>
        ${We(i).map(([a,l])=>o`<button class=${this.filter[s]===a?"":"flat"} @click=${()=>this.toggle(s,a)}>
              ${a} · ${l}
            </button>`)}
      </div>`;return o`<div class="card">
      <h2>${this.t("library_items",{count:e.total})}</h2>
      ${t("audio_class",e.audio_class)} ${t("resolution",e.resolution)} ${t("video_codec",e.video_codec)}
      <p class="muted">${this.t("library_shown",{shown:e.items.length,matching:e.matching})}</p>
      <div style="overflow-x:auto">
        <table class="items">
          <thead><tr><th>${this.t("title")}</th><th>${this.t("facet_resolution")}</th><th>${this.t("facet_video_codec")}</th>
            <th>${this.t("facet_audio_class")}</th><th>${this.t("size")}</th><th>${this.t("score")}</th></tr></thead>
          <tbody>
            ${e.items.map(s=>o`<tr>
                <td>${s.title}${s.season!==null&&s.episode!==null?` S${String(s.season).padStart(2,"0")}E${String(s.episode).padStart(2,"0")}`:""}
                  ${s.year?o`<span class="muted">(${s.year})</span>`:n}</td>
                <td>${s.resolution??""}</td><td>${s.video_codec??""}</td><td>${s.audio_class}</td>
                <td>${x(s.size)}</td><td>${s.score}</td>
              </tr>`)}
          </tbody>
        </table>
      </div>
    </div>`}renderCandidates(e){let t=e.filter(s=>s.status==="available");return o`<div class="card">
      <h2>${this.t("upgrades")} (${t.length})</h2>
      ${t.length===0?o`<p class="muted">${this.t("no_upgrades")}</p>`:n}
      <ul class="list candidates">
        ${t.map(s=>o`<li data-candidate=${s.id}>
            <div class="row">
              <span class="grow"><b>${s.title}</b> <span class="badge">${s.current_score} → ${s.new_score}</span></span>
              ${this.admin?o`<button @click=${()=>this.run("plex_kiosk/upgrade/apply",{candidate_id:s.id})} ?disabled=${this.busy}>${this.t("apply")}</button>
                    <button class="flat" @click=${()=>this.action("dismiss_upgrade",{candidate_id:s.id}).then(()=>this.load())} ?disabled=${this.busy}>${this.t("dismiss")}</button>`:n}
            </div>
            <div class="name muted">${s.release_name} · ${x(s.size)}</div>
            ${s.reason?o`<div class="muted">${s.reason}</div>`:n}
          </li>`)}
      </ul>
    </div>`}renderHistory(e){return o`<div class="card">
      <h2>${this.t("history")}</h2>
      ${e.length===0?o`<p class="muted">${this.t("no_history")}</p>`:n}
      <ul class="list history">
        ${e.slice(0,50).map(t=>o`<li class="row" data-history=${t.id}>
            <span class="grow"><b>${t.title}</b> <span class="badge">${this.t(`outcome_${t.outcome}`)}</span>
              <div class="name muted">${t.release_name} · ${t.old_score} → ${t.new_score} · ${this.when(t.at)}</div>
              ${t.reason?o`<div class="muted">${t.reason}</div>`:n}</span>
            ${this.admin&&t.outcome==="applied"&&t.recycled_path&&!t.purged?o`<button class="flat" @click=${()=>this.run("plex_kiosk/upgrade/restore",{history_id:t.id})} ?disabled=${this.busy}>${this.t("undo")}</button>`:n}
          </li>`)}
      </ul>
    </div>`}addRule(){let e=t=>this.renderRoot.querySelector(`[name=${t}]`).value;this.run("plex_kiosk/upgrade_rule/add",{source:e("rule_source"),target:e("rule_target")})}removeRule(e){if(this.removing!==e.id){this.removing=e.id;return}this.removing=null,this.run("plex_kiosk/upgrade_rule/remove",{rule_id:e.id})}renderRules(e){let t=(i,a)=>this.run("plex_kiosk/upgrade_rule/update",{rule_id:i.id,...a}),s=(i,a)=>o`<select name=${i} aria-label=${this.t(i)}>${a.map(l=>o`<option>${l}</option>`)}</select>`;return o`<div class="card">
      <h2>${this.t("rules")}</h2>
      <table class="rules">
        <thead><tr><th>${this.t("rule")}</th><th>${this.t("min_gain")}</th><th>${this.t("auto_apply")}</th><th>${this.t("enabled")}</th>${this.admin?o`<th></th>`:n}</tr></thead>
        <tbody>
          ${e.map(i=>o`<tr data-rule=${`${i.source}\u2192${i.target}`}>
              <td>${i.name} <span class="muted">${i.source} → ${i.target}</span></td>
              <td>${this.admin?o`<input type="number" min="0" max="100" style="width:5em" .value=${String(i.min_gain)} aria-label=${this.t("min_gain")}
                    @change=${a=>t(i,{min_gain:Number(a.target.value)})} />`:i.min_gain}</td>
              <td><input type="checkbox" .checked=${i.auto_apply} ?disabled=${!this.admin} aria-label=${this.t("auto_apply")}
                @change=${a=>t(i,{auto_apply:a.target.checked})} /></td>
              <td><input type="checkbox" .checked=${i.enabled} ?disabled=${!this.admin} aria-label=${this.t("enabled")}
                @change=${a=>t(i,{enabled:a.target.checked})} /></td>
              ${this.admin?o`<td><button class=${this.removing===i.id?"danger":"flat"} @click=${()=>this.removeRule(i)}>
                    ${this.removing===i.id?this.t("rule_remove_confirm"):this.t("rule_remove")}</button></td>`:n}
            </tr>`)}
        </tbody>
      </table>
      ${this.admin?o`<div class="row" style="margin-top:12px">
            ${s("rule_source",mt)} → ${s("rule_target",gt)}
            <button @click=${this.addRule} ?disabled=${this.busy}>${this.t("rule_add")}</button>
          </div>`:n}
    </div>`}};se.properties={...u.properties,library:{state:!0},upgrades:{state:!0},filter:{state:!0},removing:{state:!0}};m("plex-kiosk-library",se);var Ve=["critical","important","minor"],ie=class extends u{constructor(){super(),this.reports=[],this.report=null}async load(){let e=this.fresh(),t=await this.ws({type:"plex_kiosk/reports"});if(!t||!e())return;let s=this.report&&t.reports.some(a=>a.report_id===this.report?.report_id)?this.report.report_id:t.reports[0]?.report_id,i=s?await this.ws({type:"plex_kiosk/report",report_id:s}):void 0;e()&&(this.reports=t.reports,this.report=i?.report??null)}async open(e){let t=this.fresh(),s=await this.ws({type:"plex_kiosk/report",report_id:e});s&&t()&&(this.report=s.report)}async decide(e,t){if(!this.report)return;let s={recommendation_id:e.id,report_id:this.report.report_id};await this.ws({type:`plex_kiosk/recommendation/${t}`,data:s})&&this.load()}async analyse(){await this.ws({type:"plex_kiosk/analyse",data:{type:"full"}})&&(this.report=null,await this.load())}render(){let e=this.report;return o`
      <div class="card">
        <div class="row">
          <h2 class="grow" style="margin:0">${this.t("tab_reports")}</h2>
          ${this.reports.length>1?o`<select aria-label=${this.t("report")} @change=${t=>this.open(t.target.value)}>
                ${this.reports.map(t=>o`<option value=${t.report_id} ?selected=${t.report_id===e?.report_id}>${this.when(t.generated_at)} · ${t.health_score}</option>`)}
              </select>`:n}
          ${this.admin?o`<button @click=${this.analyse} ?disabled=${this.busy}>${this.t("analyse_now")}</button>`:n}
        </div>
        ${this.error?o`<div class="error">${this.error}</div>`:n}
        ${e?n:o`<p class="muted">${this.t("no_reports")}</p>`}
      </div>
      ${e?this.renderReport(e):n}
    `}renderReport(e){let t=e.trend===null?"":e.trend>0?`\u25B2 +${e.trend}`:e.trend<0?`\u25BC ${e.trend}`:"=",s=[...this.reports].reverse().slice(-12);return o`
      <div class="card">
        <div class="row">
          <span class="score" style="font-size:2.4em;font-weight:500">${e.health_score}</span><span class="muted">/100</span>
          <span class="trend">${t}</span>
          <span class="grow muted">${this.when(e.generated_at)} · ${this.t("library_items",{count:e.items})}${e.model?` \xB7 ${e.model}`:""}</span>
        </div>
        ${s.length>1?o`<div class="row spark" style="align-items:flex-end;height:40px;gap:3px;margin:8px 0" aria-label=${this.t("trend")}>
              ${s.map(i=>o`<div title=${`${this.when(i.generated_at)}: ${i.health_score}`} style="width:10px;height:${Math.max(4,i.health_score*.4)}px;background:var(--primary-color)"></div>`)}
            </div>`:n}
        <p class="summary">${e.summary}</p>
      </div>
      <div class="card">
        <h2>${this.t("issues")}</h2>
        ${Ve.map(i=>e.issue_counts[i]?o`<h3><span class="badge severity-${i}">${this.t(`severity_${i}`)}</span> ${e.issue_counts[i]}</h3>
                <ul class="list">${(e.issues[i]??[]).map(a=>o`<li><b>${a.title}</b> <span class="muted">${a.description}</span></li>`)}</ul>`:n)}
        ${Ve.every(i=>!e.issue_counts[i])?o`<p class="muted">${this.t("no_issues")}</p>`:n}
      </div>
      <div class="card">
        <h2>${this.t("recommendations")}</h2>
        ${e.recommendations.length===0?o`<p class="muted">${this.t("no_recommendations")}</p>`:n}
        <ul class="list recommendations">
          ${e.recommendations.map(i=>o`<li>
              <div class="row">
                <span class="grow"><b>${i.title}</b> <span class="badge">${this.t(`rec_${i.status}`)}</span></span>
                ${this.admin&&(i.status==="pending"||i.status==="approved")?o`<button @click=${()=>this.decide(i,"apply")} ?disabled=${this.busy}>${this.t("apply")}</button>
                      <button class="flat" @click=${()=>this.decide(i,"dismiss")} ?disabled=${this.busy}>${this.t("dismiss")}</button>`:n}
              </div>
              <div class="muted">${i.description}</div>
            </li>`)}
        </ul>
      </div>
    `}};ie.properties={...u.properties,reports:{state:!0},report:{state:!0}};m("plex-kiosk-reports",ie);var re=class extends u{constructor(){super(),this.kind="movie",this.hits=null,this.requests=[],this.done=""}async load(){let e=this.fresh(),[t,s]=await Promise.all([this.ws({type:"plex_kiosk/requests"}),this.ws({type:"plex_kiosk/requests/limit"})]);e()&&(t&&(this.requests=t.requests),s&&(this.limit=s))}async search(e){e.preventDefault();let t=this.renderRoot.querySelector("#query").value.trim();if(!t)return;this.done="";let s=await this.ws({type:"plex_kiosk/lookup",kind:this.kind,query:t});this.hits=s?.results??null}async request(e,t){let s;if(this.kind==="movie")s={tmdb_id:Number(e.ids.tmdb)};else{let a=this.renderRoot.querySelector(`#seasons-${t}`).value,l=Be(a);if(!l){this.error=this.t("seasons_invalid");return}s={tvmaze_id:Number(e.ids.tvmaze),seasons:l}}await this.action("request",s)!==void 0&&(this.done=this.t("requested",{title:e.title}),this.hits=null,this.load())}render(){let e=this.limit,t=!!(e?.limited&&e.left===0);return o`
      <div class="card">
        <h2>${this.t("request_new")}</h2>
        ${e?o`<p class="limit muted">${e.limited?this.t("limit_left",{left:e.left,limit:e.limit}):this.t("limit_none")}</p>`:n}
        <form class="row" @submit=${this.search}>
          <select aria-label=${this.t("kind")} @change=${s=>{this.kind=s.target.value,this.hits=null}}>
            <option value="movie" ?selected=${this.kind==="movie"}>${this.t("kind_movie")}</option>
            <option value="series" ?selected=${this.kind==="series"}>${this.t("kind_series")}</option>
          </select>
          <input id="query" class="grow" placeholder=${this.t("title")} aria-label=${this.t("title")} />
          <button type="submit" ?disabled=${this.busy}>${this.t("search")}</button>
        </form>
        ${this.error?o`<div class="error">${this.error}</div>`:n}
        ${this.done?o`<p class="done">${this.done}</p>`:n}
        ${this.hits?o`<ul class="list hits">
              ${this.hits.length===0?o`<li class="muted">${this.t("nothing_found")}</li>`:n}
              ${this.hits.map((s,i)=>o`<li class="row">
                  ${s.poster?o`<img src=${s.poster} alt="" width="46" height="69" loading="lazy" />`:n}
                  <span class="grow">${s.title} ${s.year?o`<span class="muted">(${s.year})</span>`:n}</span>
                  ${this.kind==="series"?o`<input id="seasons-${i}" size="6" placeholder="1, 2" aria-label=${this.t("seasons")} />`:n}
                  ${s.known&&this.kind==="movie"?o`<span class="badge">${this.t("already_known")}</span>`:o`<button @click=${()=>this.request(s,i)} ?disabled=${this.busy||t}>${this.t("request")}</button>`}
                </li>`)}
            </ul>`:n}
      </div>
      <div class="card">
        <h2>${this.admin?this.t("requests_all"):this.t("requests_mine")}</h2>
        ${this.requests.length===0?o`<p class="muted">${this.t("no_requests")}</p>`:n}
        <ul class="list requests">
          ${this.requests.map(s=>o`<li class="row">
              <span class="grow"><b>${s.title}</b>${s.year?o` <span class="muted">(${s.year})</span>`:n}
                ${s.seasons.length?o`<span class="muted">${this.t("seasons")} ${s.seasons.join(", ")}</span>`:n}
                <div class="muted">${this.when(s.created_at)}${this.admin&&s.requested_by?` \xB7 ${s.requested_by}`:""}</div></span>
              <span class="badge">${this.t(`request_${s.status}`)}</span>
            </li>`)}
        </ul>
      </div>
    `}};re.properties={...u.properties,kind:{state:!0},hits:{state:!0},requests:{state:!0},limit:{state:!0},done:{state:!0}};m("plex-kiosk-requests",re);var Ke=["calendar","follows","downloads","requests","library","reports","chat"],V=class extends ${constructor(){super(),this.tab="calendar",this.revision=0}t(e){return T(R(this.hass),e)}connectedCallback(){super.connectedCallback(),this.hass&&this.subscribe()}disconnectedCallback(){super.disconnectedCallback(),this.unsubscribe?.then(e=>e()).catch(()=>{}),this.unsubscribe=void 0}willUpdate(e){if(e.has("route")&&this.route){let t=this.route.path.replace(/^\//,"").split("/")[0];Ke.includes(t)&&(this.tab=t)}e.has("hass")&&this.hass&&!this.unsubscribe&&this.isConnected&&this.subscribe()}updated(e){e.has("tab")&&this.renderRoot.querySelector("nav [aria-selected=true]")?.scrollIntoView({block:"nearest",inline:"nearest"})}subscribe(){this.unsubscribe||(this.unsubscribe=this.hass.connection.subscribeMessage(e=>{e.kind==="downloads"?this.live=e:this.revision+=1},{type:"plex_kiosk/subscribe"}),this.unsubscribe.catch(()=>this.unsubscribe=void 0))}select(e){this.tab=e,history.replaceState(null,"",`/plex-kiosk/${e}`)}menu(){this.dispatchEvent(new Event("hass-toggle-menu",{bubbles:!0,composed:!0}))}render(){return this.hass?o`
      <header>
        ${this.narrow?o`<button @click=${this.menu} aria-label=${this.t("menu")}>☰</button>`:n}
        <h1>Plex Kiosk</h1>
      </header>
      <nav role="tablist">
        ${Ke.map(e=>o`<button role="tab" aria-selected=${e===this.tab?"true":"false"} @click=${()=>this.select(e)}>
            ${this.t(`tab_${e}`)}
          </button>`)}
      </nav>
      <main>${this.view()}</main>
    `:n}view(){let e={hass:this.hass,narrow:this.narrow,revision:this.revision};switch(this.tab){case"calendar":return o`<plex-kiosk-calendar .hass=${e.hass} .narrow=${e.narrow} .revision=${e.revision}></plex-kiosk-calendar>`;case"follows":return o`<plex-kiosk-follows .hass=${e.hass} .narrow=${e.narrow} .revision=${e.revision}></plex-kiosk-follows>`;case"downloads":return o`<plex-kiosk-downloads .hass=${e.hass} .narrow=${e.narrow} .revision=${e.revision} .live=${this.live}></plex-kiosk-downloads>`;case"requests":return o`<plex-kiosk-requests .hass=${e.hass} .narrow=${e.narrow} .revision=${e.revision}></plex-kiosk-requests>`;case"library":return o`<plex-kiosk-library .hass=${e.hass} .narrow=${e.narrow} .revision=${e.revision}></plex-kiosk-library>`;case"reports":return o`<plex-kiosk-reports .hass=${e.hass} .narrow=${e.narrow} .revision=${e.revision}></plex-kiosk-reports>`;default:return o`<plex-kiosk-chat .hass=${e.hass} .narrow=${e.narrow}></plex-kiosk-chat>`}}};V.properties={hass:{attribute:!1},narrow:{type:Boolean,reflect:!0},route:{attribute:!1},panel:{attribute:!1},tab:{state:!0},revision:{state:!0},live:{state:!0}},V.styles=[M,f`
      :host {
        background: var(--primary-background-color);
        min-height: 100vh;
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
        height: var(--header-height, 56px);
        padding: 0 12px;
        background: var(--app-header-background-color, var(--primary-color));
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        position: sticky;
        top: 0;
        z-index: 5;
      }
      header h1 {
        font-size: 20px;
        font-weight: 400;
        margin: 0;
      }
      header button {
        background: transparent;
        border: none;
        color: inherit;
        font-size: 22px;
      }
      nav {
        display: flex;
        overflow-x: auto;
        background: var(--app-header-background-color, var(--primary-color));
        position: sticky;
        top: var(--header-height, 56px);
        z-index: 5;
      }
      nav button {
        background: transparent;
        border: none;
        border-radius: 0;
        border-bottom: 2px solid transparent;
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        opacity: 0.75;
        white-space: nowrap;
        padding: 10px 14px;
      }
      nav button[aria-selected="true"] {
        opacity: 1;
        border-bottom-color: var(--app-header-text-color, #fff);
      }
      main {
        padding: 16px;
        max-width: 1200px;
        margin: 0 auto;
      }
      :host([narrow]) main {
        padding: 8px;
      }
    `];m("plex-kiosk-panel",V);var k=class extends ${constructor(){super(...arguments);this.started=!1}setConfig(t){if(t.limit!==void 0&&(!Number.isInteger(t.limit)||t.limit<1))throw new Error("limit: a whole number of at least 1");this.config=t}getCardSize(){return 3}t(t,s={}){return T(R(this.hass),t,s)}updated(){this.hass&&!this.started&&(this.started=!0,this.start().catch(t=>this.error=j(t)))}};k.properties={hass:{attribute:!1},config:{state:!0},error:{state:!0}},k.styles=[M,f`
      ha-card,
      .card {
        margin: 0;
      }
    `];var oe=class extends k{static getStubConfig(){return{type:"custom:plex-kiosk-upcoming-card",limit:8}}async start(){let e=await this.hass.callWS({type:"plex_kiosk/upcoming"});this.episodes=e.episodes}render(){let e=(this.episodes??[]).slice(0,this.config?.limit??8),t=new Intl.DateTimeFormat(R(this.hass),{weekday:"short",hour:"2-digit",minute:"2-digit"});return o`<div class="card">
      <h2>${this.config?.title??this.t("card_upcoming")}</h2>
      ${this.error?o`<div class="error">${this.error}</div>`:n}
      ${this.episodes&&e.length===0?o`<p class="muted">${this.t("no_episodes")}</p>`:n}
      <ul class="list">
        ${e.map(s=>o`<li class="row">
            <span class="grow"><b>${s.series}</b> ${v(s)}</span>
            <span class="muted">${s.air_time?t.format(new Date(s.air_time)):""}</span>
            <span class="badge status-${P(s)}">${this.t(`status_${P(s)}`)}</span>
          </li>`)}
      </ul>
    </div>`}};oe.properties={...k.properties,episodes:{state:!0}};var ae=class extends k{static getStubConfig(){return{type:"custom:plex-kiosk-downloads-card"}}async start(){this.downloads=await this.hass.callWS({type:"plex_kiosk/downloads"}),this.stop=await this.hass.connection.subscribeMessage(e=>{e.kind==="downloads"&&(this.downloads=e)},{type:"plex_kiosk/subscribe"})}disconnectedCallback(){super.disconnectedCallback(),this.stop?.().catch(()=>{})}render(){let e=this.downloads?.active??[];return o`<div class="card">
      <h2>${this.config?.title??this.t("card_downloads")}</h2>
      ${this.error?o`<div class="error">${this.error}</div>`:n}
      ${this.downloads&&e.length===0?o`<p class="muted">${this.t("no_downloads")}</p>`:n}
      <ul class="list">
        ${e.map(t=>o`<li>
            <div class="name">${t.name}</div>
            <div class="row">
              <div class="bar grow"><div style="width:${(t.progress*100).toFixed(1)}%"></div></div>
              <span>${(t.progress*100).toFixed(0)} %</span>
            </div>
            <div class="muted">${t.speed?`${x(t.speed)}/s`:""}${t.eta?` \xB7 ${X(t.eta)}`:""}</div>
          </li>`)}
      </ul>
    </div>`}};ae.properties={...k.properties,downloads:{state:!0}};m("plex-kiosk-upcoming-card",oe);m("plex-kiosk-downloads-card",ae);window.customCards=window.customCards??[];window.customCards.push({type:"plex-kiosk-upcoming-card",name:"Plex Kiosk: upcoming episodes",description:"The followed episodes of the week ahead and their status.",preview:!0},{type:"plex-kiosk-downloads-card",name:"Plex Kiosk: downloads",description:"What qBittorrent is downloading for Plex Kiosk, live.",preview:!0});
