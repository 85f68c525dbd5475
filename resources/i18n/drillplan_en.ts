<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>无法打开数据库：

{error}</source>
        <translation>Cannot open the database:

{error}</translation>
    </message>
    <message>
        <source>确认删除</source>
        <translation>Confirm deletion</translation>
    </message>
    <message>
        <source>确定要删除{what}吗？此操作不能撤销。</source>
        <translation>Delete {what}? This cannot be undone.</translation>
    </message>
    <message>
        <source>请先选择</source>
        <translation>Nothing selected</translation>
    </message>
    <message>
        <source>请先在列表中选择{what}。</source>
        <translation>Select {what} in the list first.</translation>
    </message>
    <message>
        <source>搜索用户、数据表、操作</source>
        <translation>Search user, table, action</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>数据表</source>
        <translation>Table</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>共 {n} 条</source>
        <translation>{n} rows</translation>
    </message>
    <message>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>另 {n} 项</source>
        <translation>+{n} more</translation>
    </message>
    <message>
        <source>{year} 年 {month} 月</source>
        <translation>{year}-{month:02d}</translation>
    </message>
    <message>
        <source>新建比武</source>
        <translation>New competition</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>序</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>科目</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>计分</source>
        <translation>Scoring</translation>
    </message>
    <message>
        <source>权重</source>
        <translation>Weight</translation>
    </message>
    <message>
        <source>成绩数</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>名次</source>
        <translation>Rank</translation>
    </message>
    <message>
        <source>队伍</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>参赛人员</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>得分</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>用时(秒)</source>
        <translation>Time (s)</translation>
    </message>
    <message>
        <source>积分</source>
        <translation>Points</translation>
    </message>
    <message>
        <source>总名次</source>
        <translation>Overall rank</translation>
    </message>
    <message>
        <source>总积分</source>
        <translation>Total points</translation>
    </message>
    <message>
        <source>名次分布</source>
        <translation>Places (1st / 2nd / 3rd)</translation>
    </message>
    <message>
        <source>请选择一项比武活动</source>
        <translation>Choose a competition</translation>
    </message>
    <message>
        <source>比赛科目</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>添加科目</source>
        <translation>Add event</translation>
    </message>
    <message>
        <source>科目成绩</source>
        <translation>Event results</translation>
    </message>
    <message>
        <source>录入成绩</source>
        <translation>Enter result</translation>
    </message>
    <message>
        <source>删除成绩</source>
        <translation>Delete result</translation>
    </message>
    <message>
        <source>总成绩排名（保存后即时更新）</source>
        <translation>Overall ranking (updated on every save)</translation>
    </message>
    <message>
        <source>比武活动</source>
        <translation>Competitions</translation>
    </message>
    <message>
        <source>全部成绩</source>
        <translation>All results</translation>
    </message>
    <message>
        <source>新建比武活动</source>
        <translation>New competition</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>比武名称</source>
        <translation>Competition title</translation>
    </message>
    <message>
        <source>举办日期</source>
        <translation>Date held</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>积分表</source>
        <translation>Points table</translation>
    </message>
    <message>
        <source>按名次的积分，如 10、8、6、5、4、3、2、1；留空用默认</source>
        <translation>Points by rank, e.g. 10、8、6、5、4、3、2、1; empty: the default</translation>
    </message>
    <message>
        <source>一项比武活动</source>
        <translation>a competition</translation>
    </message>
    <message>
        <source>所选比武活动及其全部成绩</source>
        <translation>the selected competition and all its results</translation>
    </message>
    <message>
        <source>添加比赛科目</source>
        <translation>Add an event</translation>
    </message>
    <message>
        <source>科目名称</source>
        <translation>Event name</translation>
    </message>
    <message>
        <source>项目类型</source>
        <translation>Event type</translation>
    </message>
    <message>
        <source>计分方式</source>
        <translation>Scoring</translation>
    </message>
    <message>
        <source>一个比赛科目</source>
        <translation>an event</translation>
    </message>
    <message>
        <source>用时（秒）</source>
        <translation>Time (seconds)</translation>
    </message>
    <message>
        <source>录入成绩：{event}</source>
        <translation>Result: {event}</translation>
    </message>
    <message>
        <source>一条成绩</source>
        <translation>a result</translation>
    </message>
    <message>
        <source>{team} 的这条成绩</source>
        <translation>this result of {team}</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>演练编号</source>
        <translation>Drill code</translation>
    </message>
    <message>
        <source>留空自动编号</source>
        <translation>empty: numbered automatically</translation>
    </message>
    <message>
        <source>演练名称</source>
        <translation>Drill title</translation>
    </message>
    <message>
        <source>演练形式</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>演练规模</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>演练目的</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>演练类型（HSEEP）</source>
        <translation>Exercise type (HSEEP)</translation>
    </message>
    <message>
        <source>组织单位</source>
        <translation>Organiser</translation>
    </message>
    <message>
        <source>开始时间</source>
        <translation>Starts</translation>
    </message>
    <message>
        <source>结束时间</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>重复</source>
        <translation>Repeats</translation>
    </message>
    <message>
        <source>检验的预案</source>
        <translation>Plans exercised</translation>
    </message>
    <message>
        <source>参演队伍</source>
        <translation>Teams taking part</translation>
    </message>
    <message>
        <source>参演人员须持证书</source>
        <translation>Certificates required</translation>
    </message>
    <message>
        <source>允许安排在休息日</source>
        <translation>May be held on a day off</translation>
    </message>
    <message>
        <source>防汛防台演练</source>
        <translation>Flood and typhoon drill</translation>
    </message>
    <message>
        <source>情景设计</source>
        <translation>Scenario</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>演练评估</source>
        <translation>Drill evaluation</translation>
    </message>
    <message>
        <source>0–100 分</source>
        <translation>0–100 points</translation>
    </message>
    <message>
        <source>总分（留空取平均）</source>
        <translation>Overall score (empty: the mean)</translation>
    </message>
    <message>
        <source>评估日期</source>
        <translation>Evaluated on</translation>
    </message>
    <message>
        <source>评估总结</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>评估组长</source>
        <translation>Evaluation lead</translation>
    </message>
    <message>
        <source>评估人员</source>
        <translation>Evaluators</translation>
    </message>
    <message>
        <source>姓名之间用“、”分隔</source>
        <translation>Names separated by “、”</translation>
    </message>
    <message>
        <source>评估方法</source>
        <translation>Evaluation method</translation>
    </message>
    <message>
        <source>演练目标</source>
        <translation>Objectives</translation>
    </message>
    <message>
        <source>每行一项目标，可在末尾写“：达成”“：基本达成”或“：未达成”</source>
        <translation>One objective per line; it may end with its verdict, e.g. “：达成” (met), “：基本达成” (largely met) or “：未达成” (not met)</translation>
    </message>
    <message>
        <source>演练经过</source>
        <translation>Course of the drill</translation>
    </message>
    <message>
        <source>亮点</source>
        <translation>Strengths</translation>
    </message>
    <message>
        <source>预案修订建议</source>
        <translation>Suggestions for revising the plan</translation>
    </message>
    <message>
        <source>评语：{0}</source>
        <translation>Comment: {0}</translation>
    </message>
    <message>
        <source>评分</source>
        <translation>Scores</translation>
    </message>
    <message>
        <source>评估记录</source>
        <translation>Evaluation record</translation>
    </message>
    <message>
        <source>保存评估</source>
        <translation>Save evaluation</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>问题描述</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>整改措施</source>
        <translation>Corrective action</translation>
    </message>
    <message>
        <source>责任单位</source>
        <translation>Owner unit</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>完成日期</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <source>发现的问题</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>添加问题</source>
        <translation>Add finding</translation>
    </message>
    <message>
        <source>添加整改措施</source>
        <translation>Add corrective action</translation>
    </message>
    <message>
        <source>标记完成</source>
        <translation>Mark closed</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>添加发现的问题</source>
        <translation>Add a finding</translation>
    </message>
    <message>
        <source>责任人</source>
        <translation>Person responsible</translation>
    </message>
    <message>
        <source>留空按设置的整改期限天数</source>
        <translation>empty: due after the configured number of days</translation>
    </message>
    <message>
        <source>整改完成</source>
        <translation>Corrective action closed</translation>
    </message>
    <message>
        <source>形式</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>演练</source>
        <translation>Drill</translation>
    </message>
    <message>
        <source>涉及</source>
        <translation>Concerns</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>只显示逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <source>列表</source>
        <translation>List</translation>
    </message>
    <message>
        <source>月历</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>整改跟踪</source>
        <translation>Corrective actions</translation>
    </message>
    <message>
        <source>新建</source>
        <translation>New</translation>
    </message>
    <message>
        <source>编辑</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>状态变更</source>
        <translation>Change status</translation>
    </message>
    <message>
        <source>评估</source>
        <translation>Evaluate</translation>
    </message>
    <message>
        <source>生成年度计划</source>
        <translation>Annual schedule</translation>
    </message>
    <message>
        <source>上个月 (PageUp)</source>
        <translation>Previous month (PageUp)</translation>
    </message>
    <message>
        <source>下个月 (PageDown)</source>
        <translation>Next month (PageDown)</translation>
    </message>
    <message>
        <source>移动到…</source>
        <translation>Move to…</translation>
    </message>
    <message>
        <source>把所选演练移到另一天</source>
        <translation>Move the selected drill to another day</translation>
    </message>
    <message>
        <source>取消本次</source>
        <translation>Cancel this one</translation>
    </message>
    <message>
        <source>取消重复演练中所选的这一次（其余各次不变）</source>
        <translation>Cancel the selected occurrence of a recurring drill (the others stay)</translation>
    </message>
    <message>
        <source>拖动演练到另一天即可改期；↻ 表示重复演练中的一次。</source>
        <translation>Drag a drill to another day to reschedule it; ↻ marks one occurrence of a recurring drill.</translation>
    </message>
    <message>
        <source>新建演练</source>
        <translation>New drill</translation>
    </message>
    <message>
        <source>一次演练</source>
        <translation>a drill</translation>
    </message>
    <message>
        <source>编辑演练 {code}</source>
        <translation>Edit drill {code}</translation>
    </message>
    <message>
        <source>所选演练</source>
        <translation>the selected drill</translation>
    </message>
    <message>
        <source>请先选择演练</source>
        <translation>Select a drill first</translation>
    </message>
    <message>
        <source>改为“{status}”</source>
        <translation>Change to “{status}”</translation>
    </message>
    <message>
        <source>当前状态不能再变更</source>
        <translation>The status cannot change any more</translation>
    </message>
    <message>
        <source>移动后将产生冲突</source>
        <translation>The move brings conflicts</translation>
    </message>
    <message>
        <source>把 {code} 移到 {day} 后将产生以下冲突：</source>
        <translation>Moving {code} to {day} brings these conflicts:</translation>
    </message>
    <message>
        <source>仍然移动</source>
        <translation>Move anyway</translation>
    </message>
    <message>
        <source>不移动</source>
        <translation>Don&apos;t move</translation>
    </message>
    <message>
        <source>重复演练中的一次（在月历中）</source>
        <translation>an occurrence of a recurring drill (in the calendar)</translation>
    </message>
    <message>
        <source>取消本次演练</source>
        <translation>Cancel this occurrence</translation>
    </message>
    <message>
        <source>取消 {code} 在 {day} 的这一次？其余各次不变。</source>
        <translation>Cancel {code} on {day}? The other occurrences stay.</translation>
    </message>
    <message>
        <source>演练（在月历中）</source>
        <translation>a drill (on the calendar)</translation>
    </message>
    <message>
        <source>移动 {code}</source>
        <translation>Move {code}</translation>
    </message>
    <message>
        <source>新的日期</source>
        <translation>New date</translation>
    </message>
    <message>
        <source>剩余天数</source>
        <translation>Days left</translation>
    </message>
    <message>
        <source>申请方</source>
        <translation>Requester</translation>
    </message>
    <message>
        <source>被申请方</source>
        <translation>Asked from</translation>
    </message>
    <message>
        <source>需用日期</source>
        <translation>Needed by</translation>
    </message>
    <message>
        <source>储备编号</source>
        <translation>Reserve code</translation>
    </message>
    <message>
        <source>不填时用供应商单位的名称</source>
        <translation>Blank: the supplier unit&apos;s name</translation>
    </message>
    <message>
        <source>供应商单位</source>
        <translation>Supplier unit</translation>
    </message>
    <message>
        <source>预案</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>自此级别起启动</source>
        <translation>Activated from this level up</translation>
    </message>
    <message>
        <source>预警级别</source>
        <translation>Warning level</translation>
    </message>
    <message>
        <source>最低待命人数</source>
        <translation>Minimum people on standby</translation>
    </message>
    <message>
        <source>物资</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>前置数量</source>
        <translation>Quantity to pre-position</translation>
    </message>
    <message>
        <source>按物资的计量单位</source>
        <translation>in the material&apos;s unit of measure</translation>
    </message>
    <message>
        <source>存放储备库</source>
        <translation>At depot</translation>
    </message>
    <message>
        <source>储备库与单位只填一个；都不填表示全区范围</source>
        <translation>Give a depot or a unit, not both; neither: anywhere in the district</translation>
    </message>
    <message>
        <source>申请数量</source>
        <translation>Quantity asked</translation>
    </message>
    <message>
        <source>新建申请</source>
        <translation>New request</translation>
    </message>
    <message>
        <source>批准</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>发运</source>
        <translation>Dispatch</translation>
    </message>
    <message>
        <source>确认接收</source>
        <translation>Confirm receipt</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Cancel request</translation>
    </message>
    <message>
        <source>打印调拨单</source>
        <translation>Print dispatch note</translation>
    </message>
    <message>
        <source>{material} 申请 {requested}{uom}，批准 {approved}，发运 {dispatched}，实收 {received}</source>
        <translation>{material}: asked {requested} {uom}, approved {approved}, dispatched {dispatched}, received {received}</translation>
    </message>
    <message>
        <source>{number}（{state}）：{lines}</source>
        <translation>{number} ({state}): {lines}</translation>
    </message>
    <message>
        <source>&#x3000;拒绝原因：{reason}</source>
        <translation> Refused because: {reason}</translation>
    </message>
    <message>
        <source>一条调拨申请</source>
        <translation>a request</translation>
    </message>
    <message>
        <source>新建调拨申请</source>
        <translation>New allocation request</translation>
    </message>
    <message>
        <source>批准调拨申请 {number}</source>
        <translation>Approve request {number}</translation>
    </message>
    <message>
        <source>批准数量可少于申请数量（部分批准）；批准后按先到期先出预留批次。</source>
        <translation>You may approve less than asked (partly approved); approval reserves lots, first expiring first.</translation>
    </message>
    <message>
        <source>{material} 批准数量（{uom}）</source>
        <translation>{material} approved ({uom})</translation>
    </message>
    <message>
        <source>拒绝调拨申请 {number}</source>
        <translation>Refuse request {number}</translation>
    </message>
    <message>
        <source>拒绝原因</source>
        <translation>Reason for refusal</translation>
    </message>
    <message>
        <source>发运调拨申请 {number}</source>
        <translation>Dispatch request {number}</translation>
    </message>
    <message>
        <source>按预留的批次登记调出，并释放预留。</source>
        <translation>Posts the transfer-out of the reserved lots and releases the reservation.</translation>
    </message>
    <message>
        <source>调拨单号</source>
        <translation>Dispatch note no.</translation>
    </message>
    <message>
        <source>发运日期</source>
        <translation>Dispatch date</translation>
    </message>
    <message>
        <source>{material} 实收数量（{uom}）</source>
        <translation>{material} received ({uom})</translation>
    </message>
    <message>
        <source>差异说明</source>
        <translation>Explain a difference</translation>
    </message>
    <message>
        <source>实收少于发运时必填</source>
        <translation>Required when less arrived than was dispatched</translation>
    </message>
    <message>
        <source>接收日期</source>
        <translation>Receipt date</translation>
    </message>
    <message>
        <source>确认接收 {number}</source>
        <translation>Confirm receipt of {number}</translation>
    </message>
    <message>
        <source>确定撤销调拨申请 {number} 吗？已预留的批次将释放。</source>
        <translation>Cancel request {number}? Its reserved lots are released.</translation>
    </message>
    <message>
        <source>撤销调拨申请</source>
        <translation>Cancel request</translation>
    </message>
    <message>
        <source>承诺数量</source>
        <translation>Promised quantity</translation>
    </message>
    <message>
        <source>按物资的计量单位；不计入可用库存</source>
        <translation>In the material&apos;s unit of measure; never counted as usable stock</translation>
    </message>
    <message>
        <source>响应时限</source>
        <translation>Lead time</translation>
    </message>
    <message>
        <source>48、48小时、2天</source>
        <translation>48, 48h, 2d</translation>
    </message>
    <message>
        <source>接到通知后多久能交付：小时数或天数</source>
        <translation>How soon it is delivered after the call: hours or days</translation>
    </message>
    <message>
        <source>生效日期</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>新建产能储备</source>
        <translation>New capacity reserve</translation>
    </message>
    <message>
        <source>编辑产能储备</source>
        <translation>Edit capacity reserve</translation>
    </message>
    <message>
        <source>所选产能储备</source>
        <translation>the selected capacity reserve</translation>
    </message>
    <message>
        <source>存放单位</source>
        <translation>Held at</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Lots</translation>
    </message>
    <message>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>建议</source>
        <translation>Suggested action</translation>
    </message>
    <message>
        <source>队员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>证书类型</source>
        <translation>Certificate type</translation>
    </message>
    <message>
        <source>证书编号</source>
        <translation>Certificate no.</translation>
    </message>
    <message>
        <source>协议编号</source>
        <translation>Agreement no.</translation>
    </message>
    <message>
        <source>到期日</source>
        <translation>Expires</translation>
    </message>
    <message>
        <source>物资批次</source>
        <translation>Lots</translation>
    </message>
    <message>
        <source>队员证书</source>
        <translation>Members&apos; certificates</translation>
    </message>
    <message>
        <source>合作协议</source>
        <translation>Cooperation agreements</translation>
    </message>
    <message>
        <source>审计对象</source>
        <translation>Audit</translation>
    </message>
    <message>
        <source>预警期限</source>
        <translation>Horizon</translation>
    </message>
    <message>
        <source>{days} 天内</source>
        <translation>within {days} days</translation>
    </message>
    <message>
        <source>共 {n} 项，其中已过期 {expired} 项</source>
        <translation>{n} items, {expired} expired</translation>
    </message>
    <message>
        <source>欢迎使用 drillplan</source>
        <translation>Welcome to drillplan</translation>
    </message>
    <message>
        <source>已新建数据库：
{where}

请选择如何开始。</source>
        <translation>A new database was created:
{where}

How do you want to start?</translation>
    </message>
    <message>
        <source>空数据库：从零开始录入本单位的数据</source>
        <translation>Empty database: enter your office&apos;s data from scratch</translation>
    </message>
    <message>
        <source>加载演示数据：青浦区示例数据，便于熟悉各项功能</source>
        <translation>Load the demo data: a Qingpu district example to try every feature</translation>
    </message>
    <message>
        <source>此版本未包含演示数据</source>
        <translation>This version has no demo data</translation>
    </message>
    <message>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>正在载入演示数据…</source>
        <translation>Loading the demo data…</translation>
    </message>
    <message>
        <source>无法加载演示数据</source>
        <translation>Cannot load the demo data</translation>
    </message>
    <message>
        <source>演示数据未能载入，数据库保持为空。

{error}</source>
        <translation>The demo data could not be loaded; the database stays empty.

{error}</translation>
    </message>
    <message>
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>多项用顿号“、”分隔</source>
        <translation>separate several with “、” or commas</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source># 使用说明

未找到使用说明文件。</source>
        <translation># User guide

The user guide file was not found.</translation>
    </message>
    <message>
        <source>使用说明</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>搜索… (Ctrl+F)</source>
        <translation>Search… (Ctrl+F)</translation>
    </message>
    <message>
        <source>显示全部</source>
        <translation>Show all</translation>
    </message>
    <message>
        <source>：全部</source>
        <translation>: all</translation>
    </message>
    <message>
        <source>仅显示：{what}</source>
        <translation>Showing only: {what}</translation>
    </message>
    <message>
        <source>已显示前 {n} 条，正在读取其余…</source>
        <translation>First {n} rows shown, reading the rest…</translation>
    </message>
    <message>
        <source>登录 drillplan</source>
        <translation>Log in to drillplan</translation>
    </message>
    <message>
        <source>共享数据库：</source>
        <translation>Shared database:</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>请输入用户名</source>
        <translation>Enter your user name</translation>
    </message>
    <message>
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>管理员已重置您的密码，请设置新密码。</source>
        <translation>An administrator reset your password; please choose a new one.</translation>
    </message>
    <message>
        <source>原密码</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>再输入一次</source>
        <translation>Repeat it</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致</source>
        <translation>The two new passwords differ</translation>
    </message>
    <message>
        <source>数据库：{where}</source>
        <translation>Database: {where}</translation>
    </message>
    <message>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>报表(&amp;R)</source>
        <translation>&amp;Reports</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>设置…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>单位管理…</source>
        <translation>Units…</translation>
    </message>
    <message>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>导入 Excel/CSV…</source>
        <translation>Import Excel/CSV…</translation>
    </message>
    <message>
        <source>立即备份…</source>
        <translation>Back up now…</translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from a backup…</translation>
    </message>
    <message>
        <source>载入演示数据（新文件）…</source>
        <translation>Load the demo data (new file)…</translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <source>新建(&amp;N)</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <source>编辑所选(&amp;E)</source>
        <translation>&amp;Edit selected</translation>
    </message>
    <message>
        <source>删除(&amp;D)</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>刷新(&amp;R)</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>资源目录：查找物资和持有方…</source>
        <translation>Resource directory: find materials and holders…</translation>
    </message>
    <message>
        <source>生成报表…</source>
        <translation>Print report…</translation>
    </message>
    <message>
        <source>开始使用清单…</source>
        <translation>Getting started checklist…</translation>
    </message>
    <message>
        <source>资源目录所选</source>
        <translation>chosen in the resource directory</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>重复规则</source>
        <translation>Recurrence</translation>
    </message>
    <message>
        <source>原定时间</source>
        <translation>Original time</translation>
    </message>
    <message>
        <source>新的开始时间</source>
        <translation>New start</translation>
    </message>
    <message>
        <source>盘点数量</source>
        <translation>Counted quantity</translation>
    </message>
    <message>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>用时</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>数据库地址</source>
        <translation>Database location</translation>
    </message>
    <message>
        <source>{record} 已被他人删除，您的修改未保存。</source>
        <translation>{record} was deleted by someone else; your changes were not saved.</translation>
    </message>
    <message>
        <source>{field}：他人保存为“{current}”，您填写的是“{attempted}”</source>
        <translation>{field}: saved by someone else as “{current}”, you entered “{attempted}”</translation>
    </message>
    <message>
        <source>以及其他 {n} 项</source>
        <translation>and {n} more</translation>
    </message>
    <message>
        <source>{record} 在您编辑期间已被他人修改，您的修改未保存。</source>
        <translation>{record} was changed by someone else while you were editing; your changes were not saved.</translation>
    </message>
    <message>
        <source>请关闭本窗口，重新打开该记录后再修改。</source>
        <translation>Close this window, open the record again and redo your change.</translation>
    </message>
    <message>
        <source>输入有误</source>
        <translation>Invalid input</translation>
    </message>
    <message>
        <source>数据已被修改</source>
        <translation>Changed by someone else</translation>
    </message>
    <message>
        <source>找不到记录</source>
        <translation>Record not found</translation>
    </message>
    <message>
        <source>没有权限</source>
        <translation>Not allowed</translation>
    </message>
    <message>
        <source>无法完成操作</source>
        <translation>Cannot do that</translation>
    </message>
    <message>
        <source>数据库错误</source>
        <translation>Database error</translation>
    </message>
    <message>
        <source>数据库操作失败，所做的修改未保存。</source>
        <translation>The database operation failed; nothing was saved.</translation>
    </message>
    <message>
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>发生了意外错误，所做的修改未保存。</source>
        <translation>An unexpected error occurred; nothing was saved.</translation>
    </message>
    <message>
        <source>……另有 {n} 项</source>
        <translation>… and {n} more</translation>
    </message>
    <message>
        <source>保存后将出现以下 {n} 项冲突：</source>
        <translation>Saving brings these {n} conflicts:</translation>
    </message>
    <message>
        <source>仍然保存</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <source>返回修改</source>
        <translation>Go back</translation>
    </message>
    <message>
        <source>放弃修改？</source>
        <translation>Discard changes?</translation>
    </message>
    <message>
        <source>此窗口中的修改尚未保存。要放弃这些修改吗？</source>
        <translation>The changes in this window are not saved. Discard them?</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>继续编辑</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>对象</source>
        <extracomment>figures shown as one line beside the date note instead of a card (allocation requests)</extracomment>
        <translation>Item</translation>
    </message>
    <message>
        <source>共 {n} 项问题</source>
        <translation>{n} problems</translation>
    </message>
    <message>
        <source>汛前检查缺项</source>
        <translation>Pre-season check: missing lines</translation>
    </message>
    <message>
        <source>检查项</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>打印汛前检查表…</source>
        <translation>Print the pre-season checklist…</translation>
    </message>
    <message>
        <source>{year}年汛期 {start} 至 {end}：共 {lines} 项，缺 {n} 项</source>
        <translation>Flood season {year}: {start} to {end}; {n} of {lines} lines missing</translation>
    </message>
    <message>
        <source>区应急准备能力评分</source>
        <translation>District readiness score</translation>
    </message>
    <message>
        <source>点击查看汛前检查缺项</source>
        <translation>Click to see what the pre-season check is missing</translation>
    </message>
    <message>
        <source>截至 {date}；批次只计仍有库存的批次。</source>
        <translation>As of {date}; lots count only while they hold stock.</translation>
    </message>
    <message>
        <source>点击查看清单</source>
        <translation>Click to see the list</translation>
    </message>
    <message>
        <source>{what}：{n}</source>
        <translation>{what}: {n}</translation>
    </message>
    <message>
        <source>汛前检查：缺 {n} 项（共 {lines} 项）</source>
        <translation>Pre-season check: {n} of {lines} missing</translation>
    </message>
    <message>
        <source>{year}年汛前检查 {date} 开始</source>
        <translation>Pre-season check {year} opens on {date}</translation>
    </message>
    <message>
        <source>汛前检查</source>
        <translation>Pre-season check</translation>
    </message>
    <message>
        <source>{year}年汛期 {start} 开始，汛前检查 {date} 起进行。</source>
        <translation>The {year} flood season starts on {start}; the pre-season check opens on {date}.</translation>
    </message>
    <message>
        <source>打印汛前检查表</source>
        <translation>Print the pre-season checklist</translation>
    </message>
    <message>
        <source>汛前检查表已保存到 {path}</source>
        <translation>Pre-season checklist saved to {path}</translation>
    </message>
    <message>
        <source>点击查看问题清单</source>
        <translation>Click to see the problems</translation>
    </message>
    <message>
        <source>无数据</source>
        <translation>no data</translation>
    </message>
    <message>
        <source>{n} 项问题</source>
        <translation>{n} problems</translation>
    </message>
    <message>
        <source>版本 {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <source>登记为“{status}”</source>
        <translation>Registered as “{status}”</translation>
    </message>
    <message>
        <source>预案历史与版本</source>
        <translation>Plan history and versions</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>原因/说明</source>
        <translation>Reason / note</translation>
    </message>
    <message>
        <source>修订内容</source>
        <translation>What changed</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>预案附件</source>
        <translation>Plan attachments</translation>
    </message>
    <message>
        <source>预警级别（自）</source>
        <translation>From level</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>人数/数量</source>
        <translation>People / quantity</translation>
    </message>
    <message>
        <source>存放地点</source>
        <translation>Where</translation>
    </message>
    <message>
        <source>全区</source>
        <translation>District-wide</translation>
    </message>
    <message>
        <source>要求</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>现有</source>
        <translation>Available</translation>
    </message>
    <message>
        <source>满足</source>
        <translation>Met</translation>
    </message>
    <message>
        <source>缺 {short}{uom}</source>
        <translation>short by {short} {uom}</translation>
    </message>
    <message>
        <source>灾种</source>
        <translation>Hazard</translation>
    </message>
    <message>
        <source>加入推荐灾种</source>
        <translation>Add starter hazards</translation>
    </message>
    <message>
        <source>加入预案</source>
        <translation>Add plan</translation>
    </message>
    <message>
        <source>加入队伍</source>
        <translation>Add team</translation>
    </message>
    <message>
        <source>加入物资</source>
        <translation>Add material</translation>
    </message>
    <message>
        <source>删除所选</source>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>核查级别</source>
        <translation>Check level</translation>
    </message>
    <message>
        <source>核查</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>打印核查单</source>
        <translation>Print check</translation>
    </message>
    <message>
        <source>尚无灾种：点“加入推荐灾种”</source>
        <translation>No hazards yet: click “Add starter hazards”</translation>
    </message>
    <message>
        <source>预警级别：{levels}</source>
        <translation>Warning levels: {levels}</translation>
    </message>
    <message>
        <source>添加日期</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>文件位置</source>
        <translation>File</translation>
    </message>
    <message>
        <source>附件保存的是文件位置；双击或按“打开”用系统程序查看。</source>
        <translation>Attachments keep the file&apos;s location; double-click or press Open to view it with the system viewer.</translation>
    </message>
    <message>
        <source>添加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>选择附件文件</source>
        <translation>Choose the file to attach</translation>
    </message>
    <message>
        <source>找不到文件</source>
        <translation>File not found</translation>
    </message>
    <message>
        <source>文件不存在或已移动：
{path}</source>
        <translation>The file does not exist or was moved:
{path}</translation>
    </message>
    <message>
        <source>移除附件</source>
        <translation>Remove attachment</translation>
    </message>
    <message>
        <source>从预案中移除附件“{title}”？（文件本身不会删除）</source>
        <translation>Remove the attachment “{title}” from the plan? (The file itself stays.)</translation>
    </message>
    <message>
        <source>预案编号</source>
        <translation>Plan code</translation>
    </message>
    <message>
        <source>预案名称</source>
        <translation>Plan title</translation>
    </message>
    <message>
        <source>预案类型</source>
        <translation>Plan kind</translation>
    </message>
    <message>
        <source>事件类别</source>
        <translation>Emergency category</translation>
    </message>
    <message>
        <source>编制单位</source>
        <translation>Owner unit</translation>
    </message>
    <message>
        <source>持有单位类型</source>
        <translation>Holder class</translation>
    </message>
    <message>
        <source>风险种类</source>
        <translation>Hazards</translation>
    </message>
    <message>
        <source>如：台风、暴雨、洪涝</source>
        <translation>e.g. 台风、暴雨、洪涝</translation>
    </message>
    <message>
        <source>响应等级</source>
        <translation>Response levels</translation>
    </message>
    <message>
        <source>当前状态</source>
        <translation>Current status</translation>
    </message>
    <message>
        <source>版本号</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>批准日期</source>
        <translation>Approved on</translation>
    </message>
    <message>
        <source>发布日期</source>
        <translation>Published on</translation>
    </message>
    <message>
        <source>备案日期</source>
        <translation>Filed on</translation>
    </message>
    <message>
        <source>备案机关</source>
        <translation>Filed with</translation>
    </message>
    <message>
        <source>评估周期（月）</source>
        <translation>Evaluation interval (months)</translation>
    </message>
    <message>
        <source>演练周期（月）</source>
        <translation>Drill interval (months)</translation>
    </message>
    <message>
        <source>留空则按预案类型的规定周期</source>
        <translation>empty: the interval the rules set for the plan&apos;s kind</translation>
    </message>
    <message>
        <source>涉及防汛防台</source>
        <translation>Flood and typhoon related</translation>
    </message>
    <message>
        <source>从通讯录选择，或直接输入姓名</source>
        <translation>Pick a contact, or type a name</translation>
    </message>
    <message>
        <source>职务/岗位</source>
        <translation>Role / post</translation>
    </message>
    <message>
        <source>单位、储备库、队伍、协议供应商四项只填一项</source>
        <translation>Fill in exactly one of unit, depot, team or supplier</translation>
    </message>
    <message>
        <source>所属储备库</source>
        <translation>Depot</translation>
    </message>
    <message>
        <source>所属队伍</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>协议供应商</source>
        <translation>Agreement supplier</translation>
    </message>
    <message>
        <source>协议储备企业的名称</source>
        <translation>The name of the enterprise holding the agreement reserve</translation>
    </message>
    <message>
        <source>主管单位（仅供应商）</source>
        <translation>Unit in charge (suppliers only)</translation>
    </message>
    <message>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>办公电话</source>
        <translation>Office phone</translation>
    </message>
    <message>
        <source>电子邮箱</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>分类编号</source>
        <translation>Class code</translation>
    </message>
    <message>
        <source>分类名称</source>
        <translation>Class name</translation>
    </message>
    <message>
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>避难时长</source>
        <translation>Stay</translation>
    </message>
    <message>
        <source>最小容量（人）</source>
        <translation>Min capacity (people)</translation>
    </message>
    <message>
        <source>最大容量（人）</source>
        <translation>Max capacity (people)</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>班次</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>带班领导</source>
        <translation>Leader</translation>
    </message>
    <message>
        <source>值班员</source>
        <translation>Duty officers</translation>
    </message>
    <message>
        <source>多人用顿号“、”分隔；与通讯录中同名的联系人自动关联</source>
        <translation>Separate names with 、; a name of one contact is linked to that contact</translation>
    </message>
    <message>
        <source>避难场所分类</source>
        <translation>Facility classes</translation>
    </message>
    <message>
        <source>分类名称与容量门槛暂定（GB/T 44012-2024 按等级和避难时长分类），请按本区规划修改。</source>
        <translation>Class names and capacity thresholds are provisional (GB/T 44012-2024 classifies by level and length of stay); adjust them to the district&apos;s plan.</translation>
    </message>
    <message>
        <source>新建分类</source>
        <translation>New class</translation>
    </message>
    <message>
        <source>加入推荐分类</source>
        <translation>Add starter classes</translation>
    </message>
    <message>
        <source>编辑分类 {code}</source>
        <translation>Edit class {code}</translation>
    </message>
    <message>
        <source>修订</source>
        <translation>Revise</translation>
    </message>
    <message>
        <source>历史与版本</source>
        <translation>History and versions</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>逾期预案</source>
        <translation>Plans overdue</translation>
    </message>
    <message>
        <source>新建预案</source>
        <translation>New plan</translation>
    </message>
    <message>
        <source>一个预案</source>
        <translation>a plan</translation>
    </message>
    <message>
        <source>编辑预案 {code}</source>
        <translation>Edit plan {code}</translation>
    </message>
    <message>
        <source>所选预案</source>
        <translation>the selected plan</translation>
    </message>
    <message>
        <source>请先选择预案</source>
        <translation>Select a plan first</translation>
    </message>
    <message>
        <source>改为“{status}”…</source>
        <translation>Change to “{status}”…</translation>
    </message>
    <message>
        <source>已废止：不能再变更</source>
        <translation>Abolished: no further change</translation>
    </message>
    <message>
        <source>{code}：状态改为“{status}”</source>
        <translation>{code}: change the status to “{status}”</translation>
    </message>
    <message>
        <source>评估预案 {code}</source>
        <translation>Evaluate plan {code}</translation>
    </message>
    <message>
        <source>评估结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>评估说明</source>
        <translation>Notes on the evaluation</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>修订预案 {code}（当前版本 {version}）</source>
        <translation>Revise plan {code} (current version {version})</translation>
    </message>
    <message>
        <source>修订原因</source>
        <translation>Reason for revision</translation>
    </message>
    <message>
        <source>修订说明</source>
        <translation>Summary of the revision</translation>
    </message>
    <message>
        <source>修订日期</source>
        <translation>Revised on</translation>
    </message>
    <message>
        <source>新版本号</source>
        <translation>New version</translation>
    </message>
    <message>
        <source>只有已发布或修订中的预案可以修订；已发布的预案将转为“修订中”。</source>
        <translation>Only published plans or plans under revision can be revised; a published plan moves to “Under revision”.</translation>
    </message>
    <message>
        <source>不重复</source>
        <translation>Does not repeat</translation>
    </message>
    <message>
        <source>每天</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>每周</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>每月</source>
        <translation>Monthly</translation>
    </message>
    <message>
        <source>每年</source>
        <translation>Yearly</translation>
    </message>
    <message>
        <source>间隔 </source>
        <translation>every </translation>
    </message>
    <message>
        <source>一</source>
        <translation>Mo</translation>
    </message>
    <message>
        <source>二</source>
        <translation>Tu</translation>
    </message>
    <message>
        <source>三</source>
        <translation>We</translation>
    </message>
    <message>
        <source>四</source>
        <translation>Th</translation>
    </message>
    <message>
        <source>五</source>
        <translation>Fr</translation>
    </message>
    <message>
        <source>六</source>
        <translation>Sa</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Su</translation>
    </message>
    <message>
        <source>共</source>
        <translation>For</translation>
    </message>
    <message>
        <source> 次</source>
        <translation> times</translation>
    </message>
    <message>
        <source>截止到</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>生成并打开 (Ctrl+P)</source>
        <translation>Generate and open (Ctrl+P)</translation>
    </message>
    <message>
        <source>统计截止日期</source>
        <translation>As of</translation>
    </message>
    <message>
        <source>报表语言</source>
        <translation>Report language</translation>
    </message>
    <message>
        <source>另存为…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>保存到</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>选择报表和选项后生成 PDF；生成在后台进行，完成后用系统默认程序打开。</source>
        <translation>Choose a report and its options to generate the PDF; it is built in the background, then opened with the system viewer.</translation>
    </message>
    <message>
        <source>保存报表</source>
        <translation>Save the report</translation>
    </message>
    <message>
        <source>正在生成…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <source>正在生成报表…</source>
        <translation>Generating the report…</translation>
    </message>
    <message>
        <source>未生成。</source>
        <translation>Not generated.</translation>
    </message>
    <message>
        <source>已生成：{path}</source>
        <translation>Generated: {path}</translation>
    </message>
    <message>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>班次名称</source>
        <translation>Shift name</translation>
    </message>
    <message>
        <source>早班</source>
        <translation>Early</translation>
    </message>
    <message>
        <source>开始时刻</source>
        <translation>Starts</translation>
    </message>
    <message>
        <source>结束时刻</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>不晚于开始时刻时，在次日结束</source>
        <translation>An end not after the start is on the next day</translation>
    </message>
    <message>
        <source>排序</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>启用（新班次可选）</source>
        <translation>In use (offered for new shifts)</translation>
    </message>
    <message>
        <source>班次设置</source>
        <translation>Shift kinds</translation>
    </message>
    <message>
        <source>是</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>no</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>班次为本单位的排班习惯，可按需增改；已使用的班次不能删除，可停用。</source>
        <translation>Shift kinds follow the office&apos;s practice: add or change them as needed; a kind in use cannot be deleted, only taken out of use.</translation>
    </message>
    <message>
        <source>新建班次</source>
        <translation>New shift kind</translation>
    </message>
    <message>
        <source>编辑班次 {name}</source>
        <translation>Edit shift kind {name}</translation>
    </message>
    <message>
        <source>生成年度演练计划</source>
        <translation>Annual drill schedule</translation>
    </message>
    <message>
        <source>生成建议</source>
        <translation>Propose</translation>
    </message>
    <message>
        <source>写入演练计划</source>
        <translation>Write to the schedule</translation>
    </message>
    <message>
        <source>建议时间</source>
        <translation>Proposed time</translation>
    </message>
    <message>
        <source>无法安排</source>
        <translation>cannot be placed</translation>
    </message>
    <message>
        <source>应演练日期</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>建议只在“写入”后才成为计划中的演练。</source>
        <translation>Proposals become planned drills only when written.</translation>
    </message>
    <message>
        <source>正在生成年度演练计划…</source>
        <translation>Proposing the annual drill schedule…</translation>
    </message>
    <message>
        <source>建议 {n} 次演练，其中 {placed} 次已安排时间</source>
        <translation>{n} drills proposed, {placed} of them placed</translation>
    </message>
    <message>
        <source>将 {n} 项建议写入为“计划”状态的演练？</source>
        <translation>Write the {n} proposals as planned drills?</translation>
    </message>
    <message>
        <source>写入后将出现以下 {n} 项冲突：</source>
        <translation>Writing them brings these {n} conflicts:</translation>
    </message>
    <message>
        <source>仍然写入</source>
        <translation>Write anyway</translation>
    </message>
    <message>
        <source>已写入 {n} 次演练</source>
        <translation>{n} drills written</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>当前使用：{url}</source>
        <translation>In use now: {url}</translation>
    </message>
    <message>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>常规</source>
        <translation>General</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>切换语言时窗口会重新打开，数据不受影响。</source>
        <translation>Switching the language reopens the window; your data is not affected.</translation>
    </message>
    <message>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>留空使用默认数据文件；或填写 postgresql+psycopg://用户@主机/库名</source>
        <translation>empty: the default data file; or postgresql+psycopg://user@host/database</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>SQLite 数据文件路径或 PostgreSQL 地址（多台电脑共用时请用 PostgreSQL）</source>
        <translation>A SQLite data file or a PostgreSQL URL (use PostgreSQL when several PCs share the data)</translation>
    </message>
    <message>
        <source>请勿把 SQLite 数据文件放在网络共享盘上。更改数据库位置后，下次启动时生效。</source>
        <translation>Never keep a SQLite data file on a network share. A new database location takes effect at the next start.</translation>
    </message>
    <message>
        <source>数据文件</source>
        <translation>Data file</translation>
    </message>
    <message>
        <source>预警与汛期</source>
        <translation>Alerts and flood season</translation>
    </message>
    <message>
        <source>战备评分权重</source>
        <translation>Readiness weights</translation>
    </message>
    <message>
        <source>权重按比例计算，总和不必为 100。</source>
        <translation>Weights are relative; they need not add up to 100.</translation>
    </message>
    <message>
        <source>入库</source>
        <translation>Receive</translation>
    </message>
    <message>
        <source>调拨</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <source>一个批次</source>
        <translation>a lot</translation>
    </message>
    <message>
        <source>{title}：{material} 批次 {batch}（结存 {qty} {uom}）</source>
        <translation>{title}: {material}, lot {batch} ({qty} {uom} on hand)</translation>
    </message>
    <message>
        <source>报损</source>
        <translation>Write off</translation>
    </message>
    <message>
        <source>轮换</source>
        <translation>Rotate</translation>
    </message>
    <message>
        <source>储备库（左侧）或批次</source>
        <translation>a depot (left) or a lot</translation>
    </message>
    <message>
        <source>一条台账记录</source>
        <translation>a ledger entry</translation>
    </message>
    <message>
        <source>冲正 {date} 的记录</source>
        <translation>Reverse the entry of {date}</translation>
    </message>
    <message>
        <source>冲正日期</source>
        <translation>Reversed on</translation>
    </message>
    <message>
        <source>冲正原因</source>
        <translation>Reason for the reversal</translation>
    </message>
    <message>
        <source>入库到</source>
        <translation>Receive into</translation>
    </message>
    <message>
        <source>入库日期</source>
        <translation>Received on</translation>
    </message>
    <message>
        <source>批次号</source>
        <translation>Batch no.</translation>
    </message>
    <message>
        <source>生产日期</source>
        <translation>Produced on</translation>
    </message>
    <message>
        <source>留空时按生产日期加保质期计算</source>
        <translation>empty: production date plus shelf life</translation>
    </message>
    <message>
        <source>单价（元）</source>
        <translation>Unit cost (CNY)</translation>
    </message>
    <message>
        <source>供应商</source>
        <translation>Supplier</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>采购 / 调拨 / 捐赠</source>
        <translation>purchase / transfer / donation</translation>
    </message>
    <message>
        <source>库位</source>
        <translation>Location</translation>
    </message>
    <message>
        <source>单据号</source>
        <translation>Document no.</translation>
    </message>
    <message>
        <source>批次 {batch}（有效期至 {expiry}，结存 {qty} {uom}）</source>
        <translation>Lot {batch} (expires {expiry}, on hand {qty} {uom})</translation>
    </message>
    <message>
        <source>出自批次</source>
        <translation>From lot</translation>
    </message>
    <message>
        <source>按有效期先出（自动选批次）</source>
        <translation>First expiring first (lots chosen automatically)</translation>
    </message>
    <message>
        <source>出库自</source>
        <translation>Issue from</translation>
    </message>
    <message>
        <source>出库日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <source>领用单位/人</source>
        <translation>Issued to</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>发放过期物资的原因</source>
        <translation>Reason to issue expired stock</translation>
    </message>
    <message>
        <source>只有填写原因时才会发放已过期的批次</source>
        <translation>expired lots are issued only with a reason</translation>
    </message>
    <message>
        <source>调出方</source>
        <translation>From</translation>
    </message>
    <message>
        <source>调入方</source>
        <translation>To</translation>
    </message>
    <message>
        <source>调拨日期</source>
        <translation>Transferred on</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>报损日期</source>
        <translation>Written off on</translation>
    </message>
    <message>
        <source>报损原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>新批次号</source>
        <translation>New batch no.</translation>
    </message>
    <message>
        <source>新批次生产日期</source>
        <translation>New lot produced on</translation>
    </message>
    <message>
        <source>新批次有效期至</source>
        <translation>New lot expires</translation>
    </message>
    <message>
        <source>轮换数量</source>
        <translation>Quantity rotated</translation>
    </message>
    <message>
        <source>留空则轮换全部结存</source>
        <translation>empty: everything on hand</translation>
    </message>
    <message>
        <source>轮换日期</source>
        <translation>Rotated on</translation>
    </message>
    <message>
        <source>新批次单价（元）</source>
        <translation>New lot unit cost (CNY)</translation>
    </message>
    <message>
        <source>出库（先到期先出）</source>
        <translation>Issue (first expire, first out)</translation>
    </message>
    <message>
        <source>将按有效期先后从以下批次出库：</source>
        <translation>These lots will be issued, earliest expiry first:</translation>
    </message>
    <message>
        <source>结存</source>
        <translation>On hand</translation>
    </message>
    <message>
        <source>本次出库</source>
        <translation>Issued now</translation>
    </message>
    <message>
        <source>将从所选批次出库：</source>
        <translation>Issued from the chosen lot:</translation>
    </message>
    <message>
        <source>盘点：{holder}</source>
        <translation>Stock count: {holder}</translation>
    </message>
    <message>
        <source>盘点日期</source>
        <translation>Counted on</translation>
    </message>
    <message>
        <source>盘点单号</source>
        <translation>Count sheet no.</translation>
    </message>
    <message>
        <source>在“实盘数量”一栏填写清点结果；留空的批次不调整。</source>
        <translation>Type what you counted under “Counted”; lots left empty are not adjusted.</translation>
    </message>
    <message>
        <source>账面数量</source>
        <translation>Book quantity</translation>
    </message>
    <message>
        <source>实盘数量</source>
        <translation>Counted</translation>
    </message>
    <message>
        <source>库点编号</source>
        <translation>Depot code</translation>
    </message>
    <message>
        <source>库点名称</source>
        <translation>Depot name</translation>
    </message>
    <message>
        <source>层级</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>所属单位</source>
        <translation>Owner unit</translation>
    </message>
    <message>
        <source>场所编号</source>
        <translation>Facility code</translation>
    </message>
    <message>
        <source>场所名称</source>
        <translation>Facility name</translation>
    </message>
    <message>
        <source>分类</source>
        <translation>Class</translation>
    </message>
    <message>
        <source>所在街镇</source>
        <translation>Street/town</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>可容纳人数</source>
        <translation>Capacity (people)</translation>
    </message>
    <message>
        <source>面积（平方米）</source>
        <translation>Area (m²)</translation>
    </message>
    <message>
        <source>平时用途</source>
        <translation>Normal use</translation>
    </message>
    <message>
        <source>如：学校、体育场馆</source>
        <translation>e.g. school, gymnasium</translation>
    </message>
    <message>
        <source>急时用途</source>
        <translation>Emergency use</translation>
    </message>
    <message>
        <source>平急转换时间（小时）</source>
        <translation>Conversion time (hours)</translation>
    </message>
    <message>
        <source>设施</source>
        <translation>Facilities</translation>
    </message>
    <message>
        <source>最近巡查日期</source>
        <translation>Last inspected on</translation>
    </message>
    <message>
        <source>巡查周期（天）</source>
        <translation>Inspection interval (days)</translation>
    </message>
    <message>
        <source>不填则用设置中的默认巡查周期</source>
        <translation>Leave empty to use the default interval from the settings</translation>
    </message>
    <message>
        <source>巡查日期</source>
        <translation>Inspection date</translation>
    </message>
    <message>
        <source>巡查人</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>巡查结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>查找：编号、名称、街镇、用途…</source>
        <translation>Find: code, name, street/town, use…</translation>
    </message>
    <message>
        <source>新建场所</source>
        <translation>New facility</translation>
    </message>
    <message>
        <source>记录巡查</source>
        <translation>Record inspection</translation>
    </message>
    <message>
        <source>分类管理</source>
        <translation>Classes</translation>
    </message>
    <message>
        <source>最近巡查</source>
        <translation>Last inspected</translation>
    </message>
    <message>
        <source>从未巡查</source>
        <translation>Never inspected</translation>
    </message>
    <message>
        <source>下次巡查</source>
        <translation>Next due</translation>
    </message>
    <message>
        <source>逾期（天）</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <source>街镇</source>
        <translation>Street/town</translation>
    </message>
    <message>
        <source>常住人口</source>
        <translation>Population</translation>
    </message>
    <message>
        <source>可容纳</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <source>容量/人口</source>
        <translation>Capacity/population</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>巡查逾期</source>
        <translation>Inspections overdue</translation>
    </message>
    <message>
        <source>各街镇避难容量</source>
        <translation>Shelter capacity per street/town</translation>
    </message>
    <message>
        <source>巡查逾期 {overdue} 处，{soon} 天内到期 {due} 处；容量未达目标的街镇 {short} 个（目标：常住人口的 {target}）</source>
        <translation>{overdue} inspections overdue, {due} due within {soon} days; {short} streets/towns below the capacity target ({target} of the population)</translation>
    </message>
    <message>
        <source>共 {n} 处</source>
        <translation>{n} facilities</translation>
    </message>
    <message>
        <source>一处场所</source>
        <translation>a facility</translation>
    </message>
    <message>
        <source>编辑场所 {code}</source>
        <translation>Edit facility {code}</translation>
    </message>
    <message>
        <source>所选场所及其巡查记录</source>
        <translation>the selected facility and its inspection records</translation>
    </message>
    <message>
        <source>记录巡查：{name}</source>
        <translation>Record inspection: {name}</translation>
    </message>
    <message>
        <source>保管员</source>
        <translation>Keeper</translation>
    </message>
    <message>
        <source>（未排班）</source>
        <translation>(no shift)</translation>
    </message>
    <message>
        <source>新建联系人</source>
        <translation>New contact</translation>
    </message>
    <message>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>通讯录</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>◀ 上月</source>
        <translation>◀ Previous</translation>
    </message>
    <message>
        <source>下月 ▶</source>
        <translation>Next ▶</translation>
    </message>
    <message>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>添加班次</source>
        <translation>Add shift</translation>
    </message>
    <message>
        <source>导出本月…</source>
        <translation>Export month…</translation>
    </message>
    <message>
        <source>打印本月…</source>
        <translation>Print month…</translation>
    </message>
    <message>
        <source>班次设置…</source>
        <translation>Shift kinds…</translation>
    </message>
    <message>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Hours</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>值班表</source>
        <translation>Duty roster</translation>
    </message>
    <message>
        <source>{year}年{month}月</source>
        <translation>{year}-{month}</translation>
    </message>
    <message>
        <source>冲突检查：{n} 个问题</source>
        <translation>Conflict check: {n} findings</translation>
    </message>
    <message>
        <source>冲突检查：未发现问题</source>
        <translation>Conflict check: no findings</translation>
    </message>
    <message>
        <source>一位联系人</source>
        <translation>a contact</translation>
    </message>
    <message>
        <source>编辑联系人 {name}</source>
        <translation>Edit contact {name}</translation>
    </message>
    <message>
        <source>所选联系人</source>
        <translation>the selected contact</translation>
    </message>
    <message>
        <source>一个班次</source>
        <translation>a shift</translation>
    </message>
    <message>
        <source>编辑 {day} 的班次</source>
        <translation>Edit the shift of {day}</translation>
    </message>
    <message>
        <source>所选班次</source>
        <translation>the selected shift</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>已导出 {n} 行到 {path}</source>
        <translation>Exported {n} rows to {path}</translation>
    </message>
    <message>
        <source>打印本月值班表</source>
        <translation>Print this month&apos;s duty roster</translation>
    </message>
    <message>
        <source>已生成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>值班表已保存到 {path}</source>
        <translation>Duty roster saved to {path}</translation>
    </message>
    <message>
        <source>库容（立方米）</source>
        <translation>Capacity (m³)</translation>
    </message>
    <message>
        <source>协议储备：承储的供应商（资源目录显示）</source>
        <translation>Agreement reserve: the supplier holding it (shown in the resource directory)</translation>
    </message>
    <message>
        <source>协议联系人</source>
        <translation>Agreement contact</translation>
    </message>
    <message>
        <source>协议联系电话</source>
        <translation>Agreement phone</translation>
    </message>
    <message>
        <source>物资编码</source>
        <translation>Material code</translation>
    </message>
    <message>
        <source>物资名称</source>
        <translation>Material name</translation>
    </message>
    <message>
        <source>计量单位</source>
        <translation>Unit of measure</translation>
    </message>
    <message>
        <source>规格型号</source>
        <translation>Specification</translation>
    </message>
    <message>
        <source>保质期（天）</source>
        <translation>Shelf life (days)</translation>
    </message>
    <message>
        <source>需定期轮换</source>
        <translation>Needs rotation</translation>
    </message>
    <message>
        <source>重要程度</source>
        <translation>Criticality</translation>
    </message>
    <message>
        <source>按物资类别默认</source>
        <translation>By material class (default)</translation>
    </message>
    <message>
        <source>防汛物资</source>
        <translation>Flood-control material</translation>
    </message>
    <message>
        <source>参考单价（元）</source>
        <translation>Reference price (CNY)</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>定额</source>
        <translation>Quota</translation>
    </message>
    <message>
        <source>可用库存</source>
        <translation>Usable stock</translation>
    </message>
    <message>
        <source>缺口</source>
        <translation>Shortfall</translation>
    </message>
    <message>
        <source>定额来源</source>
        <translation>Quota from</translation>
    </message>
    <message>
        <source>本库</source>
        <translation>this depot</translation>
    </message>
    <message>
        <source>层级默认</source>
        <translation>tier default</translation>
    </message>
    <message>
        <source>请在“批次”中选择一个批次</source>
        <translation>Select a lot under “Lots”</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>对方单位</source>
        <translation>Counterpart</translation>
    </message>
    <message>
        <source>冲正所选记录</source>
        <translation>Reverse the selected entry</translation>
    </message>
    <message>
        <source>请在左侧选择一个储备库</source>
        <translation>Select a depot on the left</translation>
    </message>
    <message>
        <source>设置定额</source>
        <translation>Set quota</translation>
    </message>
    <message>
        <source>储备库</source>
        <translation>Depots</translation>
    </message>
    <message>
        <source>物资目录</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>储备定额</source>
        <translation>Quotas</translation>
    </message>
    <message>
        <source>台账</source>
        <translation>Ledger</translation>
    </message>
    <message>
        <source>到期审计</source>
        <translation>Expiry audit</translation>
    </message>
    <message>
        <source>产能储备</source>
        <translation>Capacity reserves</translation>
    </message>
    <message>
        <source>出库</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>盘点</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>新建储备库</source>
        <translation>New depot</translation>
    </message>
    <message>
        <source>新建物资</source>
        <translation>New material</translation>
    </message>
    <message>
        <source>全部库点</source>
        <translation>All depots</translation>
    </message>
    <message>
        <source>{tier}（{n}）</source>
        <translation>{tier} ({n})</translation>
    </message>
    <message>
        <source>{material} 批次 {batch}，结存 {qty} {uom}</source>
        <translation>{material}, lot {batch}, {qty} {uom} on hand</translation>
    </message>
    <message>
        <source>一条产能储备</source>
        <translation>a capacity reserve</translation>
    </message>
    <message>
        <source>一种物资</source>
        <translation>a material</translation>
    </message>
    <message>
        <source>编辑物资</source>
        <translation>Edit material</translation>
    </message>
    <message>
        <source>储备库（在“储备库”页）</source>
        <translation>a depot (on the “Depots” tab)</translation>
    </message>
    <message>
        <source>编辑储备库</source>
        <translation>Edit depot</translation>
    </message>
    <message>
        <source>所选物资</source>
        <translation>the selected material</translation>
    </message>
    <message>
        <source>别名</source>
        <translation>Synonyms</translation>
    </message>
    <message>
        <source>其他叫法，以、分隔（如 冲锋艇、抢险舟）；资源目录按别名也能找到</source>
        <translation>Other names, separated by 、 (e.g. 冲锋艇、抢险舟); the resource directory finds the material by them</translation>
    </message>
    <message>
        <source>所选储备库</source>
        <translation>the selected depot</translation>
    </message>
    <message>
        <source>储备库（左侧）</source>
        <translation>a depot (on the left)</translation>
    </message>
    <message>
        <source>设置储备定额</source>
        <translation>Set a quota</translation>
    </message>
    <message>
        <source>定额数量</source>
        <translation>Required quantity</translation>
    </message>
    <message>
        <source>留空则删除本库定额，按层级默认定额</source>
        <translation>empty: remove this depot&apos;s quota (the tier default applies)</translation>
    </message>
    <message>
        <source>已过期</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>{days} 天内到期</source>
        <translation>expires within {days} days</translation>
    </message>
    <message>
        <source>队伍编号</source>
        <translation>Team code</translation>
    </message>
    <message>
        <source>队伍名称</source>
        <translation>Team name</translation>
    </message>
    <message>
        <source>队伍类型</source>
        <translation>Team kind</translation>
    </message>
    <message>
        <source>专业方向</source>
        <translation>Specialties</translation>
    </message>
    <message>
        <source>如：防汛抢险、水上救援</source>
        <translation>e.g. 防汛抢险、水上救援</translation>
    </message>
    <message>
        <source>驻地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>值班电话</source>
        <translation>Duty phone</translation>
    </message>
    <message>
        <source>响应时间（分钟）</source>
        <translation>Response time (minutes)</translation>
    </message>
    <message>
        <source>战备状态</source>
        <translation>Readiness</translation>
    </message>
    <message>
        <source>编制人数</source>
        <translation>Target headcount</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>社会应急力量必填；18 位，含校验位</source>
        <translation>required for social rescue forces; 18 characters with a check character</translation>
    </message>
    <message>
        <source>代码已核实：校验位或类别不符仍保存</source>
        <translation>Code verified: save despite check character or class</translation>
    </message>
    <message>
        <source>合作协议编号</source>
        <translation>Cooperation agreement no.</translation>
    </message>
    <message>
        <source>协议到期日</source>
        <translation>Agreement expires</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>职务</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>默认为“队员”</source>
        <translation>default: 队员 (member)</translation>
    </message>
    <message>
        <source>手机/电话</source>
        <translation>Mobile / phone</translation>
    </message>
    <message>
        <source>保险有效期至</source>
        <translation>Insured until</translation>
    </message>
    <message>
        <source>在册</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>发证日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <source>新建队伍</source>
        <translation>New team</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>保险至</source>
        <translation>Insured until</translation>
    </message>
    <message>
        <source>证书</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>添加队员</source>
        <translation>Add member</translation>
    </message>
    <message>
        <source>添加证书</source>
        <translation>Add certificate</translation>
    </message>
    <message>
        <source>一支队伍</source>
        <translation>a team</translation>
    </message>
    <message>
        <source>编辑队伍 {code}</source>
        <translation>Edit team {code}</translation>
    </message>
    <message>
        <source>所选队伍及其队员</source>
        <translation>the selected team and its members</translation>
    </message>
    <message>
        <source>添加队员：{team}</source>
        <translation>Add member: {team}</translation>
    </message>
    <message>
        <source>一名队员</source>
        <translation>a member</translation>
    </message>
    <message>
        <source>编辑队员 {name}</source>
        <translation>Edit member {name}</translation>
    </message>
    <message>
        <source>队员“{name}”</source>
        <translation>member “{name}”</translation>
    </message>
    <message>
        <source>添加证书：{name}</source>
        <translation>Add a certificate: {name}</translation>
    </message>
    <message>
        <source>一项证书</source>
        <translation>a certificate</translation>
    </message>
    <message>
        <source>编辑证书</source>
        <translation>Edit certificate</translation>
    </message>
    <message>
        <source>证书 {number}</source>
        <translation>certificate {number}</translation>
    </message>
    <message>
        <source>单位编号</source>
        <translation>Unit code</translation>
    </message>
    <message>
        <source>单位名称</source>
        <translation>Unit name</translation>
    </message>
    <message>
        <source>单位类型</source>
        <translation>Unit kind</translation>
    </message>
    <message>
        <source>上级单位</source>
        <translation>Parent unit</translation>
    </message>
    <message>
        <source>街镇的常住人口，用于避难场所容量核算</source>
        <translation>Residents of a street/town, for the shelter capacity audit</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>单位管理</source>
        <translation>Units</translation>
    </message>
    <message>
        <source>预案、队伍和储备库都属于某个单位；空数据库请先在这里登记单位。</source>
        <translation>Plans, teams and depots each belong to a unit; on an empty database register the units here first.</translation>
    </message>
    <message>
        <source>新建单位</source>
        <translation>New unit</translation>
    </message>
    <message>
        <source>编辑单位 {code}</source>
        <translation>Edit unit {code}</translation>
    </message>
    <message>
        <source>导入 Excel/CSV</source>
        <translation>Import Excel/CSV</translation>
    </message>
    <message>
        <source>选择 .xlsx 或 .csv 文件</source>
        <translation>Choose an .xlsx or .csv file</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>自动</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>覆盖他人的修改</source>
        <translation>Overwrite other people&apos;s changes</translation>
    </message>
    <message>
        <source>导出后被他人修改过的记录，也以文件内容为准（默认拒绝这些行）</source>
        <translation>Replace records changed by someone else since the file was exported with the file&apos;s values (such rows are refused otherwise)</translation>
    </message>
    <message>
        <source>导入内容</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>编码（仅 CSV）</source>
        <translation>Encoding (CSV only)</translation>
    </message>
    <message>
        <source>先检查文件：检查不会写入数据库。</source>
        <translation>Check the file first: checking writes nothing to the database.</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>规则/说明</source>
        <translation>Rule / explanation</translation>
    </message>
    <message>
        <source>检查（不写入）</source>
        <translation>Check (no writing)</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>选择导入文件</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <source>表格文件 (*.xlsx *.csv);;所有文件 (*)</source>
        <translation>Spreadsheets (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>请先选择要导入的文件。</source>
        <translation>Choose the file to import first.</translation>
    </message>
    <message>
        <source>正在检查文件…</source>
        <translation>Checking the file…</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>已取消。</source>
        <translation>Cancelled.</translation>
    </message>
    <message>
        <source>共 {rows} 行：新增 {created}，更新 {updated}，未变 {unchanged}</source>
        <translation>{rows} rows: {created} new, {updated} updated, {unchanged} unchanged</translation>
    </message>
    <message>
        <source>发现 {n} 个问题，未写入任何数据。请修改文件后重新检查。</source>
        <translation>{n} problem(s) found; nothing was written. Correct the file and check again.</translation>
    </message>
    <message>
        <source>导入完成。</source>
        <translation>Import finished.</translation>
    </message>
    <message>
        <source>检查通过，可以导入（检查未写入数据库）。</source>
        <translation>The check passed: ready to import (the check wrote nothing).</translation>
    </message>
    <message>
        <source>文件中没有数据行。</source>
        <translation>The file has no data rows.</translation>
    </message>
    <message>
        <source>文件编码：{encoding}</source>
        <translation>File encoding: {encoding}</translation>
    </message>
    <message>
        <source>保留的附加列（随记录保存，导出时原样带回）：{columns}</source>
        <translation>Kept columns (saved with the records, written back by the export): {columns}</translation>
    </message>
    <message>
        <source>已忽略的序号列：{columns}</source>
        <translation>Row-number columns ignored: {columns}</translation>
    </message>
    <message>
        <source>提示 {n} 条（见下表）</source>
        <translation>{n} warning(s) (see the table)</translation>
    </message>
    <message>
        <source>导入前的数据库已自动备份：{path}</source>
        <translation>The database was backed up before the import: {path}</translation>
    </message>
    <message>
        <source>输入编号、名称或拼音首字母</source>
        <translation>Type a code, a name or pinyin initials</translation>
    </message>
    <message>
        <source>筛选：编号、名称或拼音首字母</source>
        <translation>Filter: code, name or pinyin initials</translation>
    </message>
    <message>
        <source>无法打开</source>
        <translation>Cannot open</translation>
    </message>
    <message>
        <source>没有找到可以打开这个文件夹的程序。</source>
        <translation>No program was found that can open this folder.</translation>
    </message>
    <message>
        <source>没有找到可以打开这个文件的程序（例如 PDF 阅读器）。文件已保存在：</source>
        <translation>No program was found that can open this file (a PDF reader, for example). The file is saved at:</translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation>Open its folder</translation>
    </message>
    <message>
        <source>复制路径</source>
        <translation>Copy path</translation>
    </message>
    <message>
        <source>也无法打开文件夹，请复制路径后在文件管理器中打开。</source>
        <translation>The folder cannot be opened either: copy the path and open it in the file manager.</translation>
    </message>
    <message>
        <source>路径已复制。</source>
        <translation>Path copied.</translation>
    </message>
    <message>
        <source>开始使用</source>
        <translation>Getting started</translation>
    </message>
    <message>
        <source>空数据库请按以下顺序登记：预案、队伍和储备库都属于某个单位，入库需要储备库和物资目录。每一步都可以逐条录入，也可以下载导入模板，在 Excel 中填好后用“文件 &gt; 导入 Excel/CSV…”导入。</source>
        <translation>On an empty database register in this order: plans, teams and depots each belong to a unit; receipts need depots and materials. Each step can be entered record by record, or download its import template, fill it in Excel and import it with File &gt; Import Excel/CSV….</translation>
    </message>
    <message>
        <source>去登记</source>
        <translation>Go</translation>
    </message>
    <message>
        <source>下载导入模板…</source>
        <translation>Download import template…</translation>
    </message>
    <message>
        <source>启动时不再自动显示（可从“帮助 &gt; 开始使用清单”打开）</source>
        <translation>Do not show at start (open it from Help &gt; Getting started checklist)</translation>
    </message>
    <message>
        <source>✓ 已登记 {n} 条</source>
        <translation>✓ {n} registered</translation>
    </message>
    <message>
        <source>尚未登记</source>
        <translation>none yet</translation>
    </message>
    <message>
        <source>基础数据已齐备：可以安排演练、登记入库，或在“总览”查看战备情况。</source>
        <translation>The basic data is in place: schedule drills, receive stock, or see readiness on the Overview.</translation>
    </message>
    <message>
        <source>下一步：登记{what}。</source>
        <translation>Next: register {what}.</translation>
    </message>
    <message>
        <source>保存导入模板</source>
        <translation>Save the import template</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>导入模板已保存</source>
        <translation>Import template saved</translation>
    </message>
    <message>
        <source>已保存：
{path}

填好后用“文件 &gt; 导入 Excel/CSV…”导入。</source>
        <translation>Saved:
{path}

Fill it in, then import it with File &gt; Import Excel/CSV….</translation>
    </message>
    <message>
        <source>drillplan 备份 (*.sqlite3 *.bak *.dpbackup *.zip);;所有文件 (*)</source>
        <translation>drillplan backups (*.sqlite3 *.bak *.dpbackup *.zip);;All files (*)</translation>
    </message>
    <message>
        <source>立即备份：保存到</source>
        <translation>Back up now: save to</translation>
    </message>
    <message>
        <source>备份完成</source>
        <translation>Backup done</translation>
    </message>
    <message>
        <source>备份已写入并校验：
{path}</source>
        <translation>The backup was written and verified:
{path}</translation>
    </message>
    <message>
        <source>正在备份…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>从备份恢复：选择备份文件</source>
        <translation>Restore: choose the backup file</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from a backup</translation>
    </message>
    <message>
        <source>用备份
{file}
替换当前数据库的全部数据？

当前数据库会先自动备份；备份文件损坏、不是 drillplan 备份或来自更新的版本时不会做任何更改。</source>
        <translation>Replace all data of the current database with the backup
{file}?

The current database is backed up first; a damaged file, one that is not a drillplan backup or one from a newer version changes nothing.</translation>
    </message>
    <message>
        <source>正在恢复…</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <source>已从备份恢复。</source>
        <translation>Restored from the backup.</translation>
    </message>
    <message>
        <source>原数据库另存于：
{path}</source>
        <translation>The previous database is kept at:
{path}</translation>
    </message>
    <message>
        <source>恢复完成</source>
        <translation>Restore done</translation>
    </message>
    <message>
        <source>载入演示数据：新建演示数据库</source>
        <translation>Load the demo data: new demo database</translation>
    </message>
    <message>
        <source>SQLite 数据库 (*.sqlite3)</source>
        <translation>SQLite database (*.sqlite3)</translation>
    </message>
    <message>
        <source>如 2027-01-01 09:00 或 2027年1月1日</source>
        <translation>e.g. 2027-01-01 09:00 or 2027年1月1日</translation>
    </message>
    <message>
        <source>在月历中选择日期</source>
        <translation>Pick the date on a calendar</translation>
    </message>
    <message>
        <source>活动编号</source>
        <translation>Event code</translation>
    </message>
    <message>
        <source>活动名称</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>活动类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>参加对象</source>
        <translation>Audience</translation>
    </message>
    <message>
        <source>如：社区居民、学生</source>
        <translation>e.g. residents, pupils</translation>
    </message>
    <message>
        <source>参加人数</source>
        <translation>Headcount</translation>
    </message>
    <message>
        <source>主题</source>
        <translation>Topics</translation>
    </message>
    <message>
        <source>如：防汛防台、家庭应急包</source>
        <translation>e.g. flood and typhoon, family emergency kit</translation>
    </message>
    <message>
        <source>关联预案</source>
        <translation>Linked plans</translation>
    </message>
    <message>
        <source>参与队伍</source>
        <translation>Teams taking part</translation>
    </message>
    <message>
        <source>宣教日参考：{days}。培训与宣教不计入预案演练。</source>
        <translation>Public education days: {days}. Trainings never count as drills of a plan.</translation>
    </message>
    <message>
        <source>新建活动</source>
        <translation>New event</translation>
    </message>
    <message>
        <source>领用物资…</source>
        <translation>Issue materials…</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>领用物资（出入库台账）</source>
        <translation>Materials issued (ledger)</translation>
    </message>
    <message>
        <source>{year} 年合计（场次 / 人次）：{n} 场，{h} 人次</source>
        <translation>{year} totals (events / attendees): {n} events, {h} attendees</translation>
    </message>
    <message>
        <source>新建培训与宣教活动</source>
        <translation>New training or public education event</translation>
    </message>
    <message>
        <source>一项活动</source>
        <translation>an event</translation>
    </message>
    <message>
        <source>编辑活动 {code}</source>
        <translation>Edit event {code}</translation>
    </message>
    <message>
        <source>所选培训与宣教活动</source>
        <translation>the selected training event</translation>
    </message>
    <message>
        <source>为活动 {code} 领用物资（先到期先出）</source>
        <translation>Issue materials for {code} (first expiry first out)</translation>
    </message>
    <message>
        <source>协议：</source>
        <translation>Agreement: </translation>
    </message>
    <message>
        <source>资源目录：查找物资、持有方和联系人</source>
        <translation>Resource directory: materials, holders and whom to call</translation>
    </message>
    <message>
        <source>物资名称、别名、编码或队伍专业，如 冲锋舟、救生衣、2030、水上救援</source>
        <translation>Material name, synonym, code or team capability, e.g. 冲锋舟, 救生衣, 2030, 水上救援</translation>
    </message>
    <message>
        <source>输入后即时显示结果；回车或双击打开所选持有方</source>
        <translation>Results appear as you type; Enter or double-click opens the holder</translation>
    </message>
    <message>
        <source>{n} 个持有方（产能储备单列，不计入可用数量）  可用合计：{totals}</source>
        <translation>{n} holders (capacity reserves listed apart, not counted as usable)  usable in all: {totals}</translation>
    </message>
    <message>
        <source>没有找到“{text}”</source>
        <translation>Nothing found for “{text}”</translation>
    </message>
    <message>
        <source>一个灾种</source>
        <translation>a hazard</translation>
    </message>
    <message>
        <source>启动预案</source>
        <translation>plan activated</translation>
    </message>
    <message>
        <source>待命队伍</source>
        <translation>team on standby</translation>
    </message>
    <message>
        <source>前置物资</source>
        <translation>pre-positioned material</translation>
    </message>
    <message>
        <source>{hazard}：加入{what}</source>
        <translation>{hazard}: add a {what}</translation>
    </message>
    <message>
        <source>矩阵中的一行</source>
        <translation>a line of the matrix</translation>
    </message>
    <message>
        <source>{head}：各项均满足</source>
        <translation>{head}: every line met</translation>
    </message>
    <message>
        <source>{head}：{n} 项不满足</source>
        <translation>{head}: {n} line(s) not met</translation>
    </message>
</context>
</TS>
